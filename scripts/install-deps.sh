#!/usr/bin/env bash
# Installs what a fresh Debian machine needs to build and test Ferry.
# Idempotent: packages already present are not reinstalled.
set -euo pipefail

packages=(build-essential cmake pkg-config protobuf-c-compiler libprotobuf-c-dev libcjson-dev libopenblas-dev python3 python3-venv python3-dev swig openjdk-17-jdk-headless maven abigail-tools)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
