package ferry_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	ferry "github.com/ferry-ml/ferry/bindings/go"
)

// Loading and closing a model 10,000 times leaks no memory: RSS after the
// loop stays within a small margin of RSS after a warm-up.
func TestLoadCloseLoopRSS(t *testing.T) {
	path := halfPlusTwo(t)
	n := 10000
	if testing.Short() {
		n = 1000
	}
	cycle := func(i int) {
		m, err := ferry.LoadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := m.Signature("serving_default")
		if err != nil {
			t.Fatal(err)
		}
		x := mustTensor(t, []float32{float32(i)})
		out, err := sig.Run(map[string]*ferry.Tensor{"x": x})
		if err != nil {
			t.Fatal(err)
		}
		if got := out["y"].Float32s()[0]; got != 0.5*float32(i)+2 {
			t.Fatalf("iteration %d: y = %v", i, got)
		}
		closeAll(out)
		x.Close()
		m.Close()
	}
	// Warm up until the C allocator has made its per-thread arenas: cgo calls
	// run on many OS threads, and on a 2-core machine the first few thousand
	// cycles grew RSS by ~12 MiB before it levelled off (the same before and
	// after any library change), which is not a leak.
	warm := 3000
	if testing.Short() {
		warm = 300
	}
	for i := 0; i < warm; i++ {
		cycle(i)
	}
	liveBefore := settle(0)
	debug.FreeOSMemory()
	before := rssBytes(t)
	for i := 0; i < n; i++ {
		cycle(i)
		if i%2500 == 2499 {
			debug.FreeOSMemory()
			t.Logf("after %d cycles: RSS %d KiB", i+1, rssBytes(t)>>10)
		}
	}
	debug.FreeOSMemory()
	after := rssBytes(t)
	t.Logf("RSS %d KiB -> %d KiB over %d load/run/close cycles", before>>10, after>>10, n)
	// A leak of 1 KiB per cycle would add 10 MiB; allocator noise is ~2 MiB.
	if after-before > 8<<20 {
		t.Errorf("RSS grew by %d KiB over %d cycles", (after-before)>>10, n)
	}
	if live := ferry.LiveHandles(); live != liveBefore {
		t.Errorf("%d C objects alive after the loop, %d before", live, liveBefore)
	}
}

// settle runs the garbage collector until the finalizers have brought the
// live C object count down to want, or gives up after a few seconds.
func settle(want int64) int64 {
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		if n := ferry.LiveHandles(); n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Handles nobody closes are freed by their finalizers.
func TestFinalizersFree(t *testing.T) {
	path := halfPlusTwo(t)
	ckpt := filepath.Join(path, "variables", "variables")
	leak := func(i int) {
		m, err := ferry.LoadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := m.Signature("serving_default")
		x := mustTensor(t, make([]float32, 256))
		if _, err := sig.Run(map[string]*ferry.Tensor{"x": x}); err != nil {
			t.Fatal(err)
		}
		ck, err := ferry.OpenCheckpoint(ckpt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ck.Read(ck.Variables()[0].Name); err != nil {
			t.Fatal(err)
		}
		// No Close anywhere.
	}
	base := settle(0)
	for i := 0; i < 2000; i++ {
		leak(i)
		if i%100 == 99 {
			runtime.GC() // Go's heap is small; C memory does not trigger collections
		}
	}
	if left := settle(base); left != base {
		t.Errorf("%d C objects still alive without Close, %d before", left, base)
	}
}

// Eight goroutines running one model get identical, correct results.
func TestConcurrentRuns(t *testing.T) {
	m, err := ferry.LoadModel(halfPlusTwo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	sig, err := m.Signature("serving_default")
	if err != nil {
		t.Fatal(err)
	}
	input := make([]float32, 1000)
	for i := range input {
		input[i] = float32(i) - 500
	}
	reference := func() []float32 {
		x := mustTensor(t, input)
		defer x.Close()
		out, err := sig.Run(map[string]*ferry.Tensor{"x": x})
		if err != nil {
			t.Fatal(err)
		}
		defer closeAll(out)
		return out["y"].Float32s()
	}()
	for i, v := range reference {
		if v != 0.5*input[i]+2 {
			t.Fatalf("y[%d] = %v", i, v)
		}
	}
	const workers, runs = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			x, err := ferry.NewTensor(input) // each goroutine owns its tensors
			if err != nil {
				errs <- err
				return
			}
			defer x.Close()
			for r := 0; r < runs; r++ {
				var got []float32
				if r%2 == 0 {
					out, err := sig.Run(map[string]*ferry.Tensor{"x": x})
					if err != nil {
						errs <- err
						return
					}
					got = out["y"].Float32s()
					closeAll(out)
				} else {
					outs, err := m.Run(map[string]*ferry.Tensor{"serving_default_x:0": x},
						[]string{"StatefulPartitionedCall:0"}, nil)
					if err != nil {
						errs <- err
						return
					}
					got = outs[0].Float32s()
					outs[0].Close()
				}
				for i := range got {
					if got[i] != reference[i] {
						errs <- fmt.Errorf("worker %d run %d: y[%d] = %v, want %v", w, r, i, got[i], reference[i])
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Concurrent runs on a stateful model are serialised by the library: 8
// goroutines x 50 increments add up exactly.
func TestConcurrentStatefulRuns(t *testing.T) {
	dir := filepath.Join(corpusModels(t), "serving_tf1_counter_stateful", "00000123")
	m, err := ferry.LoadModel(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	incr, err := m.Signature("incr_counter")
	if err != nil {
		t.Fatal(err)
	}
	get, _ := m.Signature("get_counter")
	reset, _ := m.Signature("reset_counter")
	out, err := reset.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	closeAll(out)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 50; r++ {
				out, err := incr.Run(nil)
				if err != nil {
					t.Error(err)
					return
				}
				closeAll(out)
			}
		}()
	}
	wg.Wait()
	out, err = get.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(out)
	if got := out["output"].Value(); got != float32(400) {
		t.Errorf("counter = %v, want 400", got)
	}
}

// Close while other goroutines run: each run either completes or reports
// ErrClosed; nothing crashes.
func TestCloseDuringRuns(t *testing.T) {
	m, err := ferry.LoadModel(halfPlusTwo(t))
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := m.Signature("serving_default")
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, _ := ferry.NewTensor(make([]float32, 4096))
			defer x.Close()
			<-start
			for {
				out, err := sig.Run(map[string]*ferry.Tensor{"x": x})
				if errors.Is(err, ferry.ErrClosed) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				closeAll(out)
			}
		}()
	}
	close(start)
	runtime.Gosched()
	m.Close()
	wg.Wait()
}
