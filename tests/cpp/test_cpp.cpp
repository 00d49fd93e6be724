// The C++ header: RAII handles, exceptions with the C message, real models.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>
#include <ferry/ferry.hpp>

#define CONTROL_FLOW FERRY_SOURCE_DIR "/tests/fixtures/tf2_control_flow/saved_model"

static int failures;
#define EXPECT(cond)                                                                    \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            std::fprintf(stderr, "%s:%d: EXPECT failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                 \
        }                                                                               \
    } while (0)

static void signatures_run()
{
    ferry::Model m(FERRY_SOURCE_DIR "/examples/models/half_plus_two");
    EXPECT(m.format() == FERRY_FORMAT_SAVED_MODEL);
    EXPECT(m.tag_sets().size() == 1 && m.tag_sets()[0] == "serve");
    ferry::Signature sig = m.signature("serving_default");
    EXPECT(sig.inputs().size() == 1 && std::string(sig.inputs()[0]->name) == "x");
    ferry::Tensor x = ferry::Tensor::from<float>(FERRY_DT_FLOAT, {3}, {1.0f, 2.0f, 5.0f});
    auto out = sig({{"x", &x}});
    std::vector<float> y = out.at("y").values<float>();
    EXPECT(y.size() == 3 && y[0] == 2.5f && y[1] == 3.0f && y[2] == 4.5f);
}

static void feeds_and_fetches()
{
    ferry::Model m(FERRY_SOURCE_DIR "/tests/fixtures/tf1_saver_basic/model.meta");
    auto out = m.run({}, {"add:0"});
    EXPECT(out.size() == 1 && out[0].values<float>() == std::vector<float>{3.0f});
}

static void errors_are_exceptions()
{
    try {
        ferry::Model m("/nonexistent/model");
        EXPECT(false);
    } catch (const ferry::Error &e) {
        EXPECT(e.code() == FERRY_ERR_NOT_FOUND);
        EXPECT(std::strstr(e.what(), "/nonexistent/model") != nullptr);
    }
    ferry::Model m(FERRY_SOURCE_DIR "/examples/models/half_plus_two");
    try {
        m.signature("nope");
        EXPECT(false);
    } catch (const ferry::Error &e) {
        EXPECT(e.code() == FERRY_ERR_NOT_FOUND && std::strstr(e.what(), "serving_default"));
    }
    ferry::Tensor wrong = ferry::Tensor::from<int32_t>(FERRY_DT_INT32, {1}, {1});
    try {
        m.signature("serving_default")({{"x", &wrong}});
        EXPECT(false);
    } catch (const ferry::Error &e) {
        EXPECT(e.code() == FERRY_ERR_INVALID_ARGUMENT && std::strstr(e.what(), "float32"));
    }
}

static void checkpoints_and_strings()
{
    ferry::Checkpoint c(FERRY_SOURCE_DIR "/tests/fixtures/tf1_saver_basic/model");
    EXPECT(c.variables().size() == 2);
    EXPECT(c.read("v2").values<float>() == std::vector<float>{2.0f});
    ferry::Tensor s = ferry::Tensor::strings({2}, {"a", std::string("b\0c", 3)});
    auto v = s.string_values();
    EXPECT(v.size() == 2 && v[1].size() == 3 && v[1][2] == 'c');
    ferry::Tensor moved = std::move(s);
    EXPECT(moved && !s);
}

// fib(n) in a While loop of n iterations; n = INT32_MAX would run for hours.
static ferry::Tensor fib_input(int32_t n)
{
    return ferry::Tensor::from<int32_t>(FERRY_DT_INT32, {}, {n});
}

static void timeout_ends_a_runaway_loop()
{
    ferry::Model m(CONTROL_FLOW);
    ferry::Signature fib = m.signature("fib");
    ferry::Tensor n = fib_input(INT32_MAX);
    ferry::RunOptions o;
    o.timeout = std::chrono::milliseconds(50);
    try {
        fib({{"n", &n}}, o);
        EXPECT(false);
    } catch (const ferry::DeadlineExceeded &e) {
        EXPECT(e.code() == FERRY_ERR_DEADLINE_EXCEEDED);
    }
    // A short loop ends well within its timeout.
    o.timeout = std::chrono::minutes(1);
    ferry::Tensor ten = fib_input(10);
    EXPECT(fib({{"n", &ten}}, o).at("fib").values<int64_t>() == std::vector<int64_t>{55});
}

static void cancel_from_another_thread()
{
    ferry::Model m(CONTROL_FLOW);
    ferry::Signature fib = m.signature("fib");
    ferry::Tensor n = fib_input(INT32_MAX);
    ferry::Cancel cancel;
    ferry::RunOptions o;
    o.cancel = &cancel;
    std::thread trigger([&cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        cancel.trigger();
    });
    try {
        fib({{"n", &n}}, o);
        EXPECT(false);
    } catch (const ferry::Cancelled &e) {
        EXPECT(e.code() == FERRY_ERR_CANCELLED && std::strstr(e.what(), "cancel"));
    }
    trigger.join();
    EXPECT(cancel.triggered());
    // Fed and fetched by name too; a triggered handle stops the next run at once.
    try {
        m.run({{fib.inputs()[0]->tensor, &n}}, {fib.outputs()[0]->tensor}, {}, o);
        EXPECT(false);
    } catch (const ferry::Cancelled &) {
    }
    ferry::Tensor three = fib_input(3);
    EXPECT(m.run({{fib.inputs()[0]->tensor, &three}}, {fib.outputs()[0]->tensor})[0].values<int64_t>() ==
           std::vector<int64_t>{2});
}

// A graph whose Fill makes a tensor of the shape fed as "dims:0".
static std::string write_fill_graph()
{
    std::string path = "/tmp/ferry_test_cpp_fill.pbtxt";
    std::ofstream(path) << R"(
node { name: "dims" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
node { name: "value" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1.5 } } } }
node { name: "fill" op: "Fill" input: "dims" input: "value"
       attr { key: "T" value { type: DT_FLOAT } } attr { key: "index_type" value { type: DT_INT32 } } }
)";
    return path;
}

static void load_options_bound_memory_and_graph_size()
{
    ferry::LoadOptions lo;
    lo.memory_limit = 1 << 20;
    ferry::Model m(write_fill_graph(), lo);
    ferry::Tensor big = ferry::Tensor::from<int32_t>(FERRY_DT_INT32, {2}, {1024, 1024});
    try {
        m.run({{"dims:0", &big}}, {"fill:0"});
        EXPECT(false);
    } catch (const ferry::Error &e) {
        EXPECT(e.code() == FERRY_ERR_OUT_OF_MEMORY && std::strstr(e.what(), "memory limit"));
    }
    ferry::Tensor small = ferry::Tensor::from<int32_t>(FERRY_DT_INT32, {2}, {2, 3});
    EXPECT(m.run({{"dims:0", &small}}, {"fill:0"})[0].values<float>() == std::vector<float>(6, 1.5f));

    ferry::LoadOptions tiny;
    tiny.max_graph_nodes = 8;
    try {
        ferry::Model refused(CONTROL_FLOW, tiny);
        EXPECT(false);
    } catch (const ferry::Error &e) {
        EXPECT(e.code() == FERRY_ERR_UNSUPPORTED && std::strstr(e.what(), "max_graph_nodes"));
    }
}

// No fixture prints yet: a sink and the discard flag are accepted, and the
// model runs with them.
static void print_sink_is_accepted()
{
    std::vector<std::string> printed;
    ferry::LoadOptions lo;
    lo.print = [&printed](std::string_view, std::string_view text) { printed.emplace_back(text); };
    ferry::Model m(CONTROL_FLOW, lo);
    ferry::Tensor three = fib_input(3);
    EXPECT(m.signature("fib")({{"n", &three}}).at("fib").values<int64_t>() == std::vector<int64_t>{2});
    EXPECT(printed.empty());
    ferry::LoadOptions discard;
    discard.flags = FERRY_LOAD_DISCARD_PRINT;
    ferry::Model quiet(CONTROL_FLOW, discard);
    EXPECT(quiet.signatures().size() == m.signatures().size());
}

static void supported_ops_list()
{
    std::vector<std::string> ops = ferry::supported_ops();
    EXPECT(ops.size() > 200);
    EXPECT(std::find(ops.begin(), ops.end(), "MatMul") != ops.end());
    EXPECT(std::is_sorted(ops.begin(), ops.end()));
    EXPECT(ferry::is_supported("MatMul") && !ferry::is_supported("NoSuchOp"));
}

int main()
{
    signatures_run();
    feeds_and_fetches();
    errors_are_exceptions();
    checkpoints_and_strings();
    timeout_ends_a_runaway_loop();
    cancel_from_another_thread();
    load_options_bound_memory_and_graph_size();
    print_sink_is_accepted();
    supported_ops_list();
    std::printf("cpp: %d failed expectations\n", failures);
    return failures ? 1 : 0;
}
