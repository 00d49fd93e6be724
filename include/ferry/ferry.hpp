// Ferry for C++17: RAII handles and exceptions over the C ABI in ferry.h.
// Header-only; it adds nothing the C API does not offer.
#ifndef FERRY_FERRY_HPP
#define FERRY_FERRY_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ferry.h"

namespace ferry {

// A failed call: the C status code and its one-line message.
class Error : public std::runtime_error {
public:
    Error(ferry_status code, const std::string &message) : std::runtime_error(message), code_(code) {}
    ferry_status code() const noexcept { return code_; }

private:
    ferry_status code_;
};

// A run that passed its RunOptions::timeout (FERRY_ERR_DEADLINE_EXCEEDED).
class DeadlineExceeded : public Error {
public:
    explicit DeadlineExceeded(const std::string &message) : Error(FERRY_ERR_DEADLINE_EXCEEDED, message) {}
};

// A run whose Cancel was triggered (FERRY_ERR_CANCELLED).
class Cancelled : public Error {
public:
    explicit Cancelled(const std::string &message) : Error(FERRY_ERR_CANCELLED, message) {}
};

namespace detail {

// Turns a failed status into an Error (DeadlineExceeded and Cancelled for
// their statuses), freeing the C error object. `err` is taken by reference:
// it is read after the call that fills it.
inline void check(ferry_status status, ferry_error *&err)
{
    if (status == FERRY_OK)
        return;
    std::string message = err ? ferry_error_message(err) : ferry_status_name(status);
    ferry_error_free(err);
    err = nullptr;
    if (status == FERRY_ERR_DEADLINE_EXCEEDED)
        throw DeadlineExceeded(message);
    if (status == FERRY_ERR_CANCELLED)
        throw Cancelled(message);
    throw Error(status, message);
}

template <typename T, void (*Free)(T *)> struct Deleter {
    void operator()(T *p) const noexcept { Free(p); }
};

} // namespace detail

// The op types this library can run, sorted.
inline std::vector<std::string> supported_ops()
{
    std::vector<std::string> v;
    for (size_t i = 0; i < ferry_supported_op_count(); i++)
        v.emplace_back(ferry_supported_op(i));
    return v;
}

inline bool is_supported(const std::string &op_type)
{
    return ferry_op_is_supported(op_type.c_str()) != 0;
}

// A flag that stops the runs given it (move-only). trigger() is safe from
// any thread; it stays set. It must outlive the runs it is given to.
class Cancel {
public:
    Cancel()
    {
        ferry_cancel *c = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_cancel_new(&c, &err), err);
        c_.reset(c);
    }

    void trigger() noexcept { ferry_cancel_trigger(get()); }
    bool triggered() const noexcept { return ferry_cancel_is_triggered(get()) != 0; }
    ferry_cancel *get() const noexcept { return c_.get(); }

private:
    std::unique_ptr<ferry_cancel, detail::Deleter<ferry_cancel, ferry_cancel_free>> c_;
};

// Bounds on one run: a timeout (zero: none; it fails with DeadlineExceeded)
// and a Cancel (borrowed; it fails with Cancelled once triggered).
struct RunOptions {
    std::chrono::milliseconds timeout{0};
    Cancel *cancel = nullptr;

    ferry_run_options c() const noexcept
    {
        ferry_run_options o = FERRY_RUN_OPTIONS_INIT;
        o.timeout_ms = static_cast<int64_t>(timeout.count());
        o.cancel = cancel ? cancel->get() : nullptr;
        return o;
    }
};

// Where a model's Print and PrintV2 ops write: (stream, text), text ending
// with the op's line end. Called on the running thread, maybe from several
// runs at once.
using PrintSink = std::function<void(std::string_view stream, std::string_view text)>;

// How to load a model; every member left as is keeps the library's default.
struct LoadOptions {
    std::optional<std::string> tags;       // comma-separated; unset: "serve"
    std::optional<std::string> checkpoint; // MetaGraph files: the checkpoint to restore
    int intra_op_threads = 0;              // 0: number of cores
    unsigned flags = 0;                    // FERRY_LOAD_*
    int64_t memory_limit = 0;              // bytes all runs' tensors may hold at once; 0: no limit
    int64_t max_graph_nodes = 0;           // nodes after inlining; 0: the library's default
    PrintSink print;                       // empty: standard error (FERRY_LOAD_DISCARD_PRINT: nothing)
};

// A tensor, owned (move-only).
class Tensor {
public:
    Tensor() = default;
    explicit Tensor(ferry_tensor *t) noexcept : t_(t) {}

    // A zeroed tensor of the given dtype and shape.
    static Tensor zeros(ferry_dtype dtype, const std::vector<int64_t> &shape)
    {
        ferry_tensor *t = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_tensor_new(&t, dtype, shape.data(), static_cast<int>(shape.size()), &err), err);
        return Tensor(t);
    }

    // A tensor over caller memory, without copying: `data` must outlive it.
    static Tensor wrap(ferry_dtype dtype, const std::vector<int64_t> &shape, void *data, size_t size)
    {
        ferry_tensor *t = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_tensor_wrap(&t, dtype, shape.data(), static_cast<int>(shape.size()), data, size, nullptr,
                                        nullptr, &err),
                      err);
        return Tensor(t);
    }

    // A copy of the values (element type must match the dtype's size).
    template <typename T> static Tensor from(ferry_dtype dtype, const std::vector<int64_t> &shape, const std::vector<T> &v)
    {
        Tensor t = zeros(dtype, shape);
        if (t.byte_size() != v.size() * sizeof(T))
            throw Error(FERRY_ERR_INVALID_ARGUMENT, "values do not fill the shape");
        std::copy(v.begin(), v.end(), static_cast<T *>(t.data()));
        return t;
    }

    static Tensor strings(const std::vector<int64_t> &shape, const std::vector<std::string> &values)
    {
        Tensor t = zeros(FERRY_DT_STRING, shape);
        if (static_cast<size_t>(t.element_count()) != values.size())
            throw Error(FERRY_ERR_INVALID_ARGUMENT, "values do not fill the shape");
        for (size_t i = 0; i < values.size(); i++) {
            ferry_error *err = nullptr;
            detail::check(ferry_tensor_set_string(t.get(), static_cast<int64_t>(i), values[i].data(), values[i].size(), &err),
                          err);
        }
        return t;
    }

    ferry_tensor *get() const noexcept { return t_.get(); }
    ferry_tensor *release() noexcept { return t_.release(); }
    explicit operator bool() const noexcept { return static_cast<bool>(t_); }

    ferry_dtype dtype() const noexcept { return ferry_tensor_dtype(get()); }
    std::vector<int64_t> shape() const
    {
        const int64_t *d = ferry_tensor_dims(get());
        return std::vector<int64_t>(d, d + ferry_tensor_rank(get()));
    }
    int64_t element_count() const noexcept { return ferry_tensor_element_count(get()); }
    size_t byte_size() const noexcept { return ferry_tensor_byte_size(get()); }
    void *data() const noexcept { return ferry_tensor_data(get()); }

    // The values as a vector of T (T's size must be the dtype's).
    template <typename T> std::vector<T> values() const
    {
        if (sizeof(T) != ferry_dtype_size(dtype()))
            throw Error(FERRY_ERR_INVALID_ARGUMENT, std::string("element type does not match ") + ferry_dtype_name(dtype()));
        const T *p = static_cast<const T *>(data());
        return std::vector<T>(p, p + element_count());
    }

    // String elements (borrowed views valid while the tensor lives).
    std::vector<std::string_view> string_values() const
    {
        const ferry_string *s = ferry_tensor_strings(get());
        if (!s)
            throw Error(FERRY_ERR_INVALID_ARGUMENT, "not a string tensor");
        std::vector<std::string_view> out;
        for (int64_t i = 0; i < element_count(); i++)
            out.emplace_back(s[i].data, s[i].size);
        return out;
    }

private:
    std::unique_ptr<ferry_tensor, detail::Deleter<ferry_tensor, ferry_tensor_free>> t_;
};

// A signature of a loaded model (borrowed from it).
class Signature {
public:
    explicit Signature(const ferry_signature *s) noexcept : s_(s) {}

    std::string key() const { return ferry_signature_key(s_); }
    std::string method() const { return ferry_signature_method(s_); }
    std::vector<const ferry_tensor_info *> inputs() const
    {
        std::vector<const ferry_tensor_info *> v;
        for (size_t i = 0; i < ferry_signature_input_count(s_); i++)
            v.push_back(ferry_signature_input(s_, i));
        return v;
    }
    std::vector<const ferry_tensor_info *> outputs() const
    {
        std::vector<const ferry_tensor_info *> v;
        for (size_t i = 0; i < ferry_signature_output_count(s_); i++)
            v.push_back(ferry_signature_output(s_, i));
        return v;
    }

    // Runs the signature; inputs by logical name (borrowed for the call).
    std::map<std::string, Tensor> operator()(const std::map<std::string, const Tensor *> &inputs) const
    {
        return run(inputs, nullptr);
    }

    // As operator(), bounded by `options` (DeadlineExceeded, Cancelled).
    std::map<std::string, Tensor> operator()(const std::map<std::string, const Tensor *> &inputs,
                                             const RunOptions &options) const
    {
        ferry_run_options o = options.c();
        return run(inputs, &o);
    }

private:
    std::map<std::string, Tensor> run(const std::map<std::string, const Tensor *> &inputs,
                                      const ferry_run_options *options) const
    {
        std::vector<const char *> names;
        std::vector<const ferry_tensor *> tensors;
        for (const auto &kv : inputs) {
            names.push_back(kv.first.c_str());
            tensors.push_back(kv.second->get());
        }
        size_t n = ferry_signature_output_count(s_);
        std::vector<ferry_tensor *> out(n, nullptr);
        ferry_error *err = nullptr;
        detail::check(ferry_signature_run_v2(out.data(), s_, names.data(), tensors.data(), names.size(), options, &err),
                      err);
        std::map<std::string, Tensor> result;
        for (size_t i = 0; i < n; i++)
            result.emplace(ferry_signature_output(s_, i)->name, Tensor(out[i]));
        return result;
    }

    const ferry_signature *s_;
};

// A loaded model (move-only).
class Model {
public:
    explicit Model(const std::string &path, const ferry_model_options *options = nullptr)
    {
        ferry_model *m = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_model_load(&m, path.c_str(), options, &err), err);
        m_.reset(m);
    }

    Model(const std::string &path, const LoadOptions &options)
    {
        ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
        o.tags = options.tags ? options.tags->c_str() : nullptr;
        o.checkpoint = options.checkpoint ? options.checkpoint->c_str() : nullptr;
        o.intra_op_threads = options.intra_op_threads;
        o.flags = options.flags;
        o.memory_limit = options.memory_limit;
        o.max_graph_nodes = options.max_graph_nodes;
        if (options.print) {
            // The sink lives on the heap so the model's pointer to it survives moves.
            print_ = std::make_unique<PrintSink>(options.print);
            o.print = &Model::print_trampoline;
            o.print_context = print_.get();
        }
        ferry_model *m = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_model_load(&m, path.c_str(), &o, &err), err);
        m_.reset(m);
    }

    ferry_model *get() const noexcept { return m_.get(); }
    ferry_model_format format() const noexcept { return ferry_model_get_format(get()); }
    std::string tensorflow_version() const { return ferry_model_tensorflow_version(get()); }

    std::vector<std::string> tag_sets() const
    {
        std::vector<std::string> v;
        for (size_t i = 0; i < ferry_model_tag_set_count(get()); i++)
            v.emplace_back(ferry_model_tag_set(get(), i));
        return v;
    }

    std::vector<Signature> signatures() const
    {
        std::vector<Signature> v;
        for (size_t i = 0; i < ferry_model_signature_count(get()); i++)
            v.emplace_back(ferry_model_signature(get(), i));
        return v;
    }

    Signature signature(const std::string &key) const
    {
        const ferry_signature *s = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_model_find_signature(&s, get(), key.c_str(), &err), err);
        return Signature(s);
    }

    // TF1 Session.run style: feeds and fetches by tensor name, targets by node name.
    std::vector<Tensor> run(const std::map<std::string, const Tensor *> &feeds, const std::vector<std::string> &fetches,
                            const std::vector<std::string> &targets = {}) const
    {
        return run_bounded(feeds, fetches, targets, nullptr);
    }

    // As run, bounded by `options` (DeadlineExceeded, Cancelled).
    std::vector<Tensor> run(const std::map<std::string, const Tensor *> &feeds, const std::vector<std::string> &fetches,
                            const std::vector<std::string> &targets, const RunOptions &options) const
    {
        ferry_run_options o = options.c();
        return run_bounded(feeds, fetches, targets, &o);
    }

private:
    std::vector<Tensor> run_bounded(const std::map<std::string, const Tensor *> &feeds,
                                    const std::vector<std::string> &fetches, const std::vector<std::string> &targets,
                                    const ferry_run_options *options) const
    {
        std::vector<const char *> feed_names, fetch_names, target_names;
        std::vector<const ferry_tensor *> feed_tensors;
        for (const auto &kv : feeds) {
            feed_names.push_back(kv.first.c_str());
            feed_tensors.push_back(kv.second->get());
        }
        for (const auto &f : fetches)
            fetch_names.push_back(f.c_str());
        for (const auto &t : targets)
            target_names.push_back(t.c_str());
        std::vector<ferry_tensor *> out(fetches.size(), nullptr);
        ferry_error *err = nullptr;
        detail::check(ferry_model_run_v2(out.data(), get(), feed_names.data(), feed_tensors.data(), feed_names.size(),
                                         fetch_names.data(), fetch_names.size(), target_names.data(),
                                         target_names.size(), options, &err),
                      err);
        std::vector<Tensor> result;
        for (ferry_tensor *t : out)
            result.emplace_back(t);
        return result;
    }

    static void print_trampoline(void *context, const char *stream, const char *text, size_t size)
    {
        // An exception must not unwind through C: a throwing sink loses its text.
        try {
            (*static_cast<PrintSink *>(context))(stream, std::string_view(text, size));
        } catch (...) {
        }
    }

    // Declared before m_ so the model is freed before the sink it calls.
    std::unique_ptr<PrintSink> print_;
    std::unique_ptr<ferry_model, detail::Deleter<ferry_model, ferry_model_free>> m_;
};

// A checkpoint opened for reading (move-only).
class Checkpoint {
public:
    explicit Checkpoint(const std::string &path)
    {
        ferry_checkpoint *c = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_checkpoint_open(&c, path.c_str(), &err), err);
        c_.reset(c);
    }

    ferry_checkpoint *get() const noexcept { return c_.get(); }
    std::string prefix() const { return ferry_checkpoint_prefix(get()); }

    std::vector<const ferry_variable_info *> variables() const
    {
        std::vector<const ferry_variable_info *> v;
        for (size_t i = 0; i < ferry_checkpoint_variable_count(get()); i++)
            v.push_back(ferry_checkpoint_variable(get(), i));
        return v;
    }

    Tensor read(const std::string &name) const
    {
        ferry_tensor *t = nullptr;
        ferry_error *err = nullptr;
        detail::check(ferry_checkpoint_read(&t, get(), name.c_str(), &err), err);
        return Tensor(t);
    }

private:
    std::unique_ptr<ferry_checkpoint, detail::Deleter<ferry_checkpoint, ferry_checkpoint_free>> c_;
};

} // namespace ferry

#endif // FERRY_FERRY_HPP
