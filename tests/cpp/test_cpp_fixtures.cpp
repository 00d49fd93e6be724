// The fixture matrix through the C++ header: every call recorded in the
// fixture and corpus manifests, run on one loaded model in order (state
// carries over), must give TensorFlow's outputs, exactly as
// tests/c/test_run_fixtures.c checks it in C. Only ferry.hpp is used to load,
// feed, run and read tensors; manifests are read with cJSON and .npy files
// with a small reader below. Cases listed in tests/run_xfail.txt must fail (a
// listed case that passes fails the test, so the list only shrinks).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdio.h>  // popen
#include <stdlib.h> // mkdtemp

#include <cjson/cJSON.h>
#include <ferry/ferry.hpp>

namespace fs = std::filesystem;

namespace {

// A manifest problem or unreadable expected file: the case fails with this message.
struct FixtureError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A call this matrix does not replay (as in the C matrix): skipped, not failed.
struct NotReplayed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using Json = std::unique_ptr<cJSON, void (*)(cJSON *)>;

std::string slurp(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FixtureError(path.string() + ": cannot open");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Json parse_json(const fs::path &path)
{
    std::string text = slurp(path);
    Json j(cJSON_Parse(text.c_str()), cJSON_Delete);
    if (!j)
        throw FixtureError(path.string() + ": does not parse as JSON");
    return j;
}

const char *json_string(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

// ---- Expected tensors -------------------------------------------------------

bool host_little()
{
    const uint16_t one = 1;
    unsigned char b;
    std::memcpy(&b, &one, 1);
    return b == 1;
}

// Reads a NumPy .npy file (format 1-3; numeric and bool, C order) into a tensor.
ferry::Tensor read_npy(const fs::path &path)
{
    std::string bytes = slurp(path);
    const std::string where = path.string() + ": ";
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw FixtureError(where + "not a .npy file");
    const auto *u = reinterpret_cast<const unsigned char *>(bytes.data());
    size_t header_len, header_start;
    if (u[6] == 1) {
        header_len = size_t(u[8]) | size_t(u[9]) << 8;
        header_start = 10;
    } else if (u[6] == 2 || u[6] == 3) {
        if (bytes.size() < 12)
            throw FixtureError(where + "file is truncated");
        header_len = size_t(u[8]) | size_t(u[9]) << 8 | size_t(u[10]) << 16 | size_t(u[11]) << 24;
        header_start = 12;
    } else {
        throw FixtureError(where + "unknown .npy format version");
    }
    if (bytes.size() < header_start + header_len)
        throw FixtureError(where + "file is truncated");
    std::string header = bytes.substr(header_start, header_len);
    auto value_of = [&](const char *key) -> std::string {
        std::string quoted = std::string("'") + key + "'";
        size_t p = header.find(quoted);
        if (p == std::string::npos || (p = header.find(':', p + quoted.size())) == std::string::npos)
            throw FixtureError(where + "malformed .npy header");
        p = header.find_first_not_of(' ', p + 1);
        return p == std::string::npos ? std::string() : header.substr(p);
    };
    std::string descr = value_of("descr"), fortran = value_of("fortran_order"), shape = value_of("shape");
    if (descr.size() < 4 || descr[0] != '\'' || shape.empty() || shape[0] != '(')
        throw FixtureError(where + "malformed .npy header");
    if (fortran.compare(0, 5, "False") != 0)
        throw FixtureError(where + "Fortran-order arrays are not supported");

    static const struct {
        char kind;
        int size;
        ferry_dtype dtype;
    } types[] = {
        {'f', 2, FERRY_DT_HALF},   {'f', 4, FERRY_DT_FLOAT},      {'f', 8, FERRY_DT_DOUBLE},    {'i', 1, FERRY_DT_INT8},
        {'i', 2, FERRY_DT_INT16},  {'i', 4, FERRY_DT_INT32},      {'i', 8, FERRY_DT_INT64},     {'u', 1, FERRY_DT_UINT8},
        {'u', 2, FERRY_DT_UINT16}, {'u', 4, FERRY_DT_UINT32},     {'u', 8, FERRY_DT_UINT64},    {'b', 1, FERRY_DT_BOOL},
        {'c', 8, FERRY_DT_COMPLEX64}, {'c', 16, FERRY_DT_COMPLEX128},
    };
    char order = descr[1], kind = descr[2];
    int size = std::atoi(descr.c_str() + 3);
    ferry_dtype dtype = FERRY_DT_INVALID;
    for (const auto &t : types)
        if (t.kind == kind && t.size == size)
            dtype = t.dtype;
    if (dtype == FERRY_DT_INVALID || (order != '<' && order != '>' && order != '|' && order != '='))
        throw FixtureError(where + "array dtype " + descr.substr(0, 8) + " is not supported");

    std::vector<int64_t> dims;
    for (size_t p = 1; p < shape.size() && shape[p] != ')';) {
        if (shape[p] == ' ' || shape[p] == ',') {
            p++;
            continue;
        }
        char *end = nullptr;
        long long d = std::strtoll(shape.c_str() + p, &end, 10);
        if (end == shape.c_str() + p || d < 0)
            throw FixtureError(where + "malformed shape in .npy header");
        dims.push_back(d);
        p = size_t(end - shape.c_str());
    }

    ferry::Tensor t = ferry::Tensor::zeros(dtype, dims);
    size_t data_start = header_start + header_len, n = t.byte_size();
    if (bytes.size() - data_start < n)
        throw FixtureError(where + "file is truncated");
    auto *data = static_cast<unsigned char *>(t.data());
    if (n)
        std::memcpy(data, bytes.data() + data_start, n);
    bool file_little = order == '<' || ((order == '|' || order == '=') && host_little());
    size_t width = kind == 'c' ? size_t(size) / 2 : size_t(size);
    if (width > 1 && file_little != host_little())
        for (size_t i = 0; i + width <= n; i += width)
            std::reverse(data + i, data + i + width);
    return t;
}

int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

std::string b64_decode(const char *in)
{
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (; *in; in++) {
        int v = b64_value(static_cast<unsigned char>(*in));
        if (v < 0)
            continue;
        acc = (acc << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return out;
}

// A string tensor recorded as {"shape": [...], "b64": [...]}.
ferry::Tensor read_json_strings(const fs::path &path)
{
    Json j = parse_json(path);
    cJSON *shape = cJSON_GetObjectItemCaseSensitive(j.get(), "shape");
    cJSON *values = cJSON_GetObjectItemCaseSensitive(j.get(), "b64");
    if (!cJSON_IsArray(shape) || !cJSON_IsArray(values))
        throw FixtureError(path.string() + ": not a string-tensor JSON file");
    std::vector<int64_t> dims;
    cJSON *e;
    cJSON_ArrayForEach(e, shape) dims.push_back(static_cast<int64_t>(e->valuedouble));
    std::vector<std::string> strings;
    cJSON_ArrayForEach(e, values)
    {
        const char *s = cJSON_GetStringValue(e);
        strings.push_back(b64_decode(s ? s : ""));
    }
    try {
        return ferry::Tensor::strings(dims, strings);
    } catch (const ferry::Error &err) {
        throw FixtureError(path.string() + ": " + err.what());
    }
}

ferry::Tensor read_tensor(const fs::path &case_dir, const std::string &file)
{
    fs::path path = case_dir / file;
    if (file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0)
        return read_json_strings(path);
    return read_npy(path);
}

// ---- Comparing --------------------------------------------------------------

double real_at(const ferry::Tensor &t, int64_t i)
{
    const void *d = t.data();
    switch (t.dtype()) {
    case FERRY_DT_FLOAT:
    case FERRY_DT_COMPLEX64:
        return static_cast<const float *>(d)[i];
    case FERRY_DT_DOUBLE:
    case FERRY_DT_COMPLEX128:
        return static_cast<const double *>(d)[i];
    case FERRY_DT_HALF: {
        uint16_t h = static_cast<const uint16_t *>(d)[i];
        int e = (h >> 10) & 0x1f, m = h & 0x3ff;
        double v = e == 0 ? std::ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : std::ldexp(m | 0x400, e - 25);
        return (h & 0x8000) ? -v : v;
    }
    case FERRY_DT_BFLOAT16: {
        uint32_t bits = uint32_t(static_cast<const uint16_t *>(d)[i]) << 16;
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
    default:
        return 0;
    }
}

// Empty when equal: integers, bools and strings exactly; floats within
// atol + rtol*|expected| (exactly when both are 0); NaN matches NaN.
std::string mismatch(const ferry::Tensor &got, const ferry::Tensor &want, double rtol, double atol)
{
    ferry_dtype dt = want.dtype();
    if (got.dtype() != dt)
        return std::string("dtype ") + ferry_dtype_name(got.dtype()) + ", expected " + ferry_dtype_name(dt);
    if (got.shape() != want.shape())
        return "shape differs (rank " + std::to_string(got.shape().size()) + " vs " +
               std::to_string(want.shape().size()) + ")";
    if (dt == FERRY_DT_STRING) {
        auto a = got.string_values(), b = want.string_values();
        for (size_t i = 0; i < b.size(); i++)
            if (a[i] != b[i])
                return "string element " + std::to_string(i) + " differs";
        return "";
    }
    bool is_float = dt == FERRY_DT_FLOAT || dt == FERRY_DT_DOUBLE || dt == FERRY_DT_HALF || dt == FERRY_DT_BFLOAT16 ||
                    dt == FERRY_DT_COMPLEX64 || dt == FERRY_DT_COMPLEX128;
    if (!is_float || (rtol == 0 && atol == 0)) {
        if (want.byte_size() && std::memcmp(got.data(), want.data(), want.byte_size()) != 0)
            return "bytes differ";
        return "";
    }
    int64_t count = want.element_count() * ((dt == FERRY_DT_COMPLEX64 || dt == FERRY_DT_COMPLEX128) ? 2 : 1);
    for (int64_t i = 0; i < count; i++) {
        double a = real_at(got, i), b = real_at(want, i);
        if (std::isnan(a) && std::isnan(b))
            continue;
        if (!(std::fabs(a - b) <= atol + rtol * std::fabs(b)) && a != b) {
            char msg[128];
            std::snprintf(msg, sizeof msg, "element %lld is %.9g, expected %.9g", static_cast<long long>(i), a, b);
            return msg;
        }
    }
    return "";
}

// ---- Replaying --------------------------------------------------------------

// A {"name": "file"} map; a null file (an expected failure's fetch) has no tensor.
struct Named {
    std::vector<std::string> names;
    std::vector<std::optional<ferry::Tensor>> tensors;
};

Named load_map(const fs::path &case_dir, const cJSON *map)
{
    Named out;
    const cJSON *e;
    cJSON_ArrayForEach(e, map)
    {
        out.names.emplace_back(e->string);
        if (cJSON_IsNull(e)) {
            out.tensors.emplace_back();
            continue;
        }
        if (!cJSON_IsString(e))
            throw NotReplayed(std::string("input '") + e->string + "' is not a plain tensor file");
        out.tensors.emplace_back(read_tensor(case_dir, e->valuestring));
    }
    return out;
}

struct Tolerance {
    double rtol = 0, atol = 0;
};

// Runs one call; throws FixtureError/ferry::Error when it fails, NotReplayed when skipped.
void run_call(const ferry::Model &model, const fs::path &case_dir, const cJSON *call, Tolerance tol)
{
    if (cJSON_GetObjectItemCaseSensitive(call, "asset_feeds"))
        throw NotReplayed("calls that feed asset paths by hand are not replayed");
    const char *sig_key = json_string(call, "signature");
    const char *expected_error = json_string(call, "error");
    Named in = load_map(case_dir, cJSON_GetObjectItemCaseSensitive(call, sig_key ? "inputs" : "feeds"));
    Named want = load_map(case_dir, cJSON_GetObjectItemCaseSensitive(call, sig_key ? "outputs" : "fetches"));

    std::map<std::string, const ferry::Tensor *> feeds;
    ferry::Tensor none; // a null handle, for a recorded null input
    for (size_t i = 0; i < in.names.size(); i++)
        feeds[in.names[i]] = in.tensors[i] ? &*in.tensors[i] : &none;

    std::vector<std::optional<ferry::Tensor>> got(want.names.size());
    try {
        if (sig_key) {
            auto outputs = model.signature(sig_key)(feeds);
            for (size_t i = 0; i < want.names.size(); i++) {
                auto it = outputs.find(want.names[i]);
                if (it != outputs.end())
                    got[i] = std::move(it->second);
            }
        } else {
            std::vector<std::string> targets;
            const cJSON *t;
            cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(call, "targets"))
                if (cJSON_IsString(t)) targets.emplace_back(t->valuestring);
            auto outputs = model.run(feeds, want.names, targets);
            for (size_t i = 0; i < outputs.size() && i < got.size(); i++)
                got[i] = std::move(outputs[i]);
        }
    } catch (const ferry::Error &) {
        if (expected_error)
            return; // TensorFlow failed here (e.g. an uninitialized variable); so did Ferry.
        throw;
    }
    if (expected_error)
        throw FixtureError(std::string("succeeded where TensorFlow failed with ") + expected_error);
    for (size_t i = 0; i < want.names.size(); i++) {
        if (!got[i] || !*got[i])
            throw FixtureError("no output '" + want.names[i] + "'");
        if (!want.tensors[i])
            continue;
        std::string why = mismatch(*got[i], *want.tensors[i], tol.rtol, tol.atol);
        if (!why.empty())
            throw FixtureError("output '" + want.names[i] + "': " + why);
    }
}

struct Tally {
    int passed = 0, failed = 0, expected_failures = 0;
    std::string xfail; // the xfail file's text
};

bool listed(const std::string &xfail, const std::string &name)
{
    std::istringstream lines(xfail);
    std::string line;
    while (std::getline(lines, line))
        if (line.compare(0, name.size(), name) == 0 &&
            (line.size() == name.size() || line[name.size()] == ' ' || line[name.size()] == '\t'))
            return true;
    return false;
}

enum class Outcome { Passed, Failed, NotRun };

// Loads the case's model and replays its calls; `models_root` (the corpus)
// holds the models when the manifests live elsewhere.
Outcome run_case(const fs::path &case_dir, const cJSON *m, const std::optional<fs::path> &models_root,
                 std::string &msg)
{
    const char *kind = json_string(m, "kind");
    if (!kind || !std::strcmp(kind, "checkpoint") || !std::strcmp(kind, "broken"))
        return Outcome::NotRun;
    fs::path base = models_root ? *models_root / case_dir.filename() : case_dir;
    const char *rel = json_string(m, "path");
    std::string path = (base / (rel ? rel : "")).string(), ckpt, tags;

    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    const cJSON *tag_list = cJSON_GetObjectItemCaseSensitive(m, "tags");
    const cJSON *tag;
    cJSON_ArrayForEach(tag, tag_list)
    {
        if (!tags.empty())
            tags += ",";
        tags += cJSON_IsString(tag) ? tag->valuestring : "";
    }
    if (tag_list)
        opts.tags = tags.c_str();
    const char *c = json_string(m, "checkpoint");
    if (c && !std::strcmp(kind, "meta_graph")) {
        ckpt = (base / c).string();
        opts.checkpoint = ckpt.c_str();
    }
    Tolerance tol;
    if (const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "tolerance")) {
        if (const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, "rtol"); cJSON_IsNumber(r))
            tol.rtol = r->valuedouble;
        if (const cJSON *a = cJSON_GetObjectItemCaseSensitive(t, "atol"); cJSON_IsNumber(a))
            tol.atol = a->valuedouble;
    }

    std::optional<ferry::Model> model;
    try {
        model.emplace(path, &opts);
    } catch (const ferry::Error &e) {
        msg = std::string("load: ") + e.what();
        return Outcome::Failed;
    }
    int k = 0, ran = 0;
    const cJSON *call;
    cJSON_ArrayForEach(call, cJSON_GetObjectItemCaseSensitive(m, "calls"))
    {
        std::string stage;
        try {
            // A call with its own restore map runs on a model loaded with that map.
            if (const cJSON *map = cJSON_GetObjectItemCaseSensitive(call, "restore_map")) {
                std::vector<ferry_name_pair> pairs;
                const cJSON *e;
                cJSON_ArrayForEach(e, map) if (cJSON_IsString(e)) pairs.push_back({e->valuestring, e->string});
                ferry_model_options mapped_opts = opts;
                mapped_opts.restore_map = pairs.data();
                mapped_opts.restore_map_count = pairs.size();
                stage = "load with restore map: ";
                ferry::Model mapped(path, &mapped_opts);
                stage.clear();
                run_call(mapped, case_dir, call, tol);
            } else {
                run_call(*model, case_dir, call, tol);
            }
            ran++;
        } catch (const NotReplayed &) {
        } catch (const std::exception &e) {
            msg = "call " + std::to_string(k) + ": " + stage + e.what();
            return Outcome::Failed;
        }
        k++;
    }
    return ran ? Outcome::Passed : Outcome::NotRun;
}

void check_root(const fs::path &root, const std::optional<fs::path> &models_root, Tally &t)
{
    std::vector<fs::path> cases;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(root, ec))
        if (entry.path().filename().string()[0] != '.' && fs::exists(entry.path() / "manifest.json"))
            cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    for (const fs::path &case_dir : cases) {
        const std::string name = case_dir.filename().string();
        std::string msg;
        Outcome r;
        try {
            Json m = parse_json(case_dir / "manifest.json");
            if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m.get(), "calls")))
                continue;
            r = run_case(case_dir, m.get(), models_root, msg);
        } catch (const std::exception &e) {
            msg = e.what();
            r = Outcome::Failed;
        }
        if (r == Outcome::NotRun)
            continue;
        bool xfail = listed(t.xfail, name);
        if (r == Outcome::Passed && !xfail) {
            std::printf("ok   %s\n", name.c_str());
            t.passed++;
        } else if (r == Outcome::Failed && xfail) {
            std::printf("xfail %s: %s\n", name.c_str(), msg.c_str());
            t.expected_failures++;
        } else if (r == Outcome::Passed) {
            std::printf("FAIL %s: passes now; remove it from tests/run_xfail.txt\n", name.c_str());
            t.failed++;
        } else {
            std::printf("FAIL %s: %s\n", name.c_str(), msg.c_str());
            t.failed++;
        }
    }
}

// ---- The same message in every language ---------------------------------------

// `test_cpp_fixtures --messages CLI`: a ferry::Error carries the C library's message
// unchanged. The reference is the C command-line tool on the same path (`ferry show` and
// `ferry inspect` print "ferry COMMAND: MESSAGE" on stderr); the Python, Go and Java suites
// make the same comparison on the same cases.
std::string c_message(const std::string &cli, const char *command, const fs::path &path)
{
    std::string line = "'" + cli + "' " + command + " '" + path.string() + "' 2>&1 >/dev/null";
    FILE *p = popen(line.c_str(), "r");
    if (!p)
        throw FixtureError("cannot run " + cli);
    std::string out;
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    int status = pclose(p);
    std::string prefix = std::string("ferry ") + command + ": ";
    if (status == 0)
        throw FixtureError(std::string("ferry ") + command + " " + path.string() + " succeeded");
    if (out.compare(0, prefix.size(), prefix) != 0 || out.size() <= prefix.size() + 1 || out.back() != '\n' ||
        out.find('\n') != out.size() - 1)
        throw FixtureError("unexpected stderr: " + out);
    return out.substr(prefix.size(), out.size() - prefix.size() - 1);
}

int check_messages(const std::string &cli)
{
    char tmpl[] = "/tmp/ferry_cpp_messages_XXXXXX";
    if (!mkdtemp(tmpl)) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path dir = tmpl;
    static const char raw[] = "this is not a protobuf \xff\xfe\x00 garbage\n";
    const std::string garbage(raw, sizeof raw - 1);
    auto write = [&](const fs::path &p) {
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << garbage;
        return p;
    };
    struct Case {
        const char *name;
        bool model;
        fs::path path;
        ferry_status code;
    } cases[] = {
        {"missing model", true, dir / "no_such_model", FERRY_ERR_NOT_FOUND},
        {"corrupt saved_model.pb", true, write(dir / "corrupt_saved_model" / "saved_model.pb").parent_path(),
         FERRY_ERR_CORRUPT},
        {"garbage frozen graph", true, write(dir / "garbage.pb"), FERRY_ERR_CORRUPT},
        {"missing checkpoint", false, dir / "no_such_ckpt", FERRY_ERR_NOT_FOUND},
        {"garbage checkpoint index", false, write(dir / "garbage.index"), FERRY_ERR_CORRUPT},
    };
    int passed = 0, failed = 0;
    for (const Case &c : cases) {
        std::string why;
        try {
            std::string want = c_message(cli, c.model ? "show" : "inspect", c.path);
            try {
                if (c.model) {
                    ferry::Model m(c.path.string());
                } else {
                    ferry::Checkpoint ck(c.path.string());
                }
                why = "opened without an error";
            } catch (const ferry::Error &e) {
                if (want != e.what())
                    why = std::string("message differs from the C library's:\n  C++: ") + e.what() + "\n  C:   " + want;
                else if (e.code() != c.code)
                    why = std::string("code ") + ferry_status_name(e.code()) + ", expected " + ferry_status_name(c.code);
                else
                    std::printf("ok   %s: %s\n", c.name, want.c_str());
            }
        } catch (const std::exception &e) {
            why = e.what();
        }
        if (why.empty()) {
            passed++;
        } else {
            std::printf("FAIL %s: %s\n", c.name, why.c_str());
            failed++;
        }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    std::printf("cpp_messages: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && !std::strcmp(argv[1], "--messages"))
        return check_messages(argv[2]);
    if (argc != 1) {
        std::fprintf(stderr, "usage: %s            replay the fixture matrix\n"
                             "       %s --messages FERRY_CLI   compare error messages with the C tool's\n",
                     argv[0], argv[0]);
        return 2;
    }
    Tally t;
    try {
        t.xfail = slurp(FERRY_SOURCE_DIR "/tests/run_xfail.txt");
    } catch (const FixtureError &) {
    }
    check_root(FERRY_FIXTURES, std::nullopt, t);
    if (fs::is_directory(FERRY_CORPUS))
        check_root(FERRY_SOURCE_DIR "/tests/corpus", fs::path(FERRY_CORPUS), t);
    else
        std::printf("skip: the shared corpus %s is absent, so the cases under tests/corpus do not run\n",
                    FERRY_CORPUS);
    std::printf("%d expected failures (tests/run_xfail.txt)\n", t.expected_failures);
    std::printf("cpp_fixtures: %d passed, %d failed\n", t.passed, t.failed);
    std::fflush(stdout);
    return t.failed || t.passed == 0;
}
