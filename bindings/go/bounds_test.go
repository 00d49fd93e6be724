package ferry_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	ferry "github.com/ferry-ml/ferry/bindings/go"
)

// controlFlow is tf2_control_flow: its "fib" signature loops n times, so
// n = MaxInt32 runs for hours unless something stops it.
func controlFlow(t *testing.T, opts ...ferry.Option) (*ferry.Model, *ferry.Signature) {
	t.Helper()
	m, err := ferry.LoadModel(filepath.Join(fixtureDir(t, "tf2_control_flow"), "saved_model"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	fib, err := m.Signature("fib")
	if err != nil {
		t.Fatal(err)
	}
	return m, fib
}

func runFib(t *testing.T, ctx context.Context, fib *ferry.Signature, n int32) (int64, error) {
	t.Helper()
	x := mustTensor(t, n)
	defer x.Close()
	out, err := fib.RunContext(ctx, map[string]*ferry.Tensor{"n": x})
	if err != nil {
		return 0, err
	}
	defer closeAll(out)
	return out["fib"].Int64s()[0], nil
}

func TestRunContextDeadline(t *testing.T) {
	_, fib := controlFlow(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := runFib(t, ctx, fib, math.MaxInt32)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("runaway loop with a deadline: %v, want context.DeadlineExceeded", err)
	}
	// The library's error, unless the deadline passed before the run began (a loaded machine).
	var fe *ferry.Error
	if errors.As(err, &fe) && fe.Code() != ferry.CodeDeadlineExceeded && fe.Code() != ferry.CodeCancelled {
		t.Errorf("error %v has code %v", err, fe.Code())
	}
	// A short loop ends well within its deadline.
	long, cancelLong := context.WithTimeout(context.Background(), time.Minute)
	defer cancelLong()
	if got, err := runFib(t, long, fib, 10); err != nil || got != 55 {
		t.Errorf("fib(10) = %d, %v; want 55", got, err)
	}
	// Without a deadline or a Done channel RunContext is Run.
	if got, err := runFib(t, context.Background(), fib, 90); err != nil || got != 2880067194370816120 {
		t.Errorf("fib(90) = %d, %v", got, err)
	}
}

func TestRunContextCancelFromAnotherGoroutine(t *testing.T) {
	m, fib := controlFlow(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(30 * time.Millisecond)
		cancel()
	}()
	_, err := runFib(t, ctx, fib, math.MaxInt32)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled runaway loop: %v, want context.Canceled", err)
	}
	// The library's error, unless the cancel came before the run began (a loaded machine).
	var fe *ferry.Error
	if errors.As(err, &fe) && !errors.Is(err, ferry.ErrCancelled) {
		t.Errorf("error %v has code %v", err, fe.Code())
	}
	// A context already done does not run at all.
	if _, err := runFib(t, ctx, fib, 3); !errors.Is(err, context.Canceled) {
		t.Errorf("run under a cancelled context: %v", err)
	}
	// Model.RunContext, fed and fetched by graph name.
	in, out := fib.Inputs()[0].Tensor, fib.Outputs()[0].Tensor
	n := mustTensor(t, int32(math.MaxInt32))
	defer n.Close()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := m.RunContext(ctx2, map[string]*ferry.Tensor{in: n}, []string{out}, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Model.RunContext on the runaway loop: %v", err)
	}
}

// fillGraph writes a frozen graph whose Fill makes a float tensor of the
// shape fed as "dims:0".
func fillGraph(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "fill.pbtxt")
	graph := `
node { name: "dims" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
node { name: "value" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1.5 } } } }
node { name: "fill" op: "Fill" input: "dims" input: "value"
       attr { key: "T" value { type: DT_FLOAT } } attr { key: "index_type" value { type: DT_INT32 } } }
`
	if err := os.WriteFile(path, []byte(graph), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMemoryLimitRefusesBigFill(t *testing.T) {
	m, err := ferry.LoadModel(fillGraph(t), ferry.WithMemoryLimit(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	fill := func(dims []int32) ([]*ferry.Tensor, error) {
		d := mustTensor(t, dims)
		defer d.Close()
		return m.Run(map[string]*ferry.Tensor{"dims:0": d}, []string{"fill:0"}, nil)
	}
	if _, err := fill([]int32{1024, 1024}); !errors.Is(err, ferry.ErrOutOfMemory) || !strings.Contains(err.Error(), "memory limit") {
		t.Errorf("4 MiB Fill under a 1 MiB limit: %v", err)
	}
	out, err := fill([]int32{2, 3})
	if err != nil {
		t.Fatal(err)
	}
	defer out[0].Close()
	if got := out[0].Float32s(); len(got) != 6 || got[0] != 1.5 || got[5] != 1.5 {
		t.Errorf("small Fill = %v", got)
	}
}

func TestMaxGraphNodes(t *testing.T) {
	_, err := ferry.LoadModel(filepath.Join(fixtureDir(t, "tf2_control_flow"), "saved_model"), ferry.WithMaxGraphNodes(8))
	if !errors.Is(err, ferry.ErrUnsupported) || !strings.Contains(err.Error(), "max_graph_nodes") {
		t.Errorf("8-node limit: %v", err)
	}
}

// No fixture prints yet: a sink and the discard flag are accepted, and the
// model runs with them.
func TestPrintOptionsAccepted(t *testing.T) {
	var printed []string
	_, fib := controlFlow(t, ferry.WithPrint(func(stream, text string) { printed = append(printed, stream+": "+text) }))
	if got, err := runFib(t, context.Background(), fib, 3); err != nil || got != 2 {
		t.Errorf("fib(3) with a print sink = %d, %v", got, err)
	}
	if len(printed) != 0 {
		t.Errorf("printed %q", printed)
	}
	_, quiet := controlFlow(t, ferry.WithDiscardPrint())
	if got, err := runFib(t, context.Background(), quiet, 3); err != nil || got != 2 {
		t.Errorf("fib(3) with print discarded = %d, %v", got, err)
	}
}

func TestSupportedOps(t *testing.T) {
	ops := ferry.SupportedOps()
	if len(ops) < 200 || !sort.StringsAreSorted(ops) || !contains(ops, "MatMul") {
		t.Errorf("%d supported ops, sorted %v, MatMul listed %v", len(ops), sort.StringsAreSorted(ops), contains(ops, "MatMul"))
	}
	if !ferry.IsSupported("MatMul") || ferry.IsSupported("NoSuchOp") {
		t.Error("IsSupported(MatMul) false or IsSupported(NoSuchOp) true")
	}
}
