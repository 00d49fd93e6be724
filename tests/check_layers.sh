#!/usr/bin/env bash
# Every include in core/ must point down the layers. Usage:
#   check_layers.sh CORE_DIR 'layer:allowed layers' ...
# (CMakeLists.txt passes the same lists it builds the layers' include views from).
set -euo pipefail
core=$1
shift
declare -A allowed
layers=()
for rule in "$@"; do
    layers+=("${rule%%:*}")
    allowed[${rule%%:*}]=" ${rule#*:} "
done
status=0 count=0
for layer in "${layers[@]}"; do
    for file in "$core/$layer"/*.[ch]; do
        [ -e "$file" ] || continue
        while IFS= read -r line; do
            [[ $line =~ \"([^\"]+)\" ]] && target=${BASH_REMATCH[1]}
            count=$((count + 1))
            case $target in
            ../* | */../*)
                echo "$file: includes \"$target\" by a relative path; name the layer instead"; status=1 ;;
            */*)
                dir=${target%%/*}
                if [ -n "${allowed[$dir]+set}" ] && [[ ${allowed[$layer]} != *" $dir "* ]]; then
                    echo "$file: layer '$layer' includes \"$target\" from layer '$dir', against the direction"
                    status=1
                fi ;;
            *.pb-c.h)
                if [ "$layer" = base ]; then
                    echo "$file: the base layer includes generated protobuf code \"$target\""; status=1
                fi ;;
            esac
        done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
    done
done
[ "$status" -ne 0 ] || echo "layers: $count includes in ${#layers[@]} layers, all pointing down"
exit $status
