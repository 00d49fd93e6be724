package ferry

/*
#include <stdlib.h>
#include <ferry/ferry.h>
*/
import "C"

import (
	"context"
	"time"
	"unsafe"
)

// SupportedOps are the op types this library can run, sorted.
func SupportedOps() []string {
	out := make([]string, int(C.ferry_supported_op_count()))
	for i := range out {
		out[i] = goStringOrEmpty(C.ferry_supported_op(C.size_t(i)))
	}
	return out
}

// IsSupported reports whether this library can run ops of type op.
func IsSupported(op string) bool {
	cop := C.CString(op)
	defer C.free(unsafe.Pointer(cop))
	return C.ferry_op_is_supported(cop) != 0
}

// RunContext is Run bounded by ctx: its deadline becomes the run's timeout,
// and cancelling it stops the run at its next step or loop iteration. A run
// ended this way returns an *Error (ErrDeadlineExceeded or ErrCancelled)
// that also matches context.DeadlineExceeded or context.Canceled under
// errors.Is. A ctx already done returns its error without running.
func (s *Signature) RunContext(ctx context.Context, inputs map[string]*Tensor) (map[string]*Tensor, error) {
	var out map[string]*Tensor
	err := bounded(ctx, func(o *C.ferry_run_options) (err error) {
		out, err = s.run(inputs, o)
		return err
	})
	return out, err
}

// RunContext is Model.Run bounded by ctx, as Signature.RunContext.
func (m *Model) RunContext(ctx context.Context, feeds map[string]*Tensor, fetches, targets []string) ([]*Tensor, error) {
	var out []*Tensor
	err := bounded(ctx, func(o *C.ferry_run_options) (err error) {
		out, err = m.run(feeds, fetches, targets, o)
		return err
	})
	return out, err
}

// bounded calls run with options carrying ctx's deadline as a timeout and,
// when ctx can be cancelled, a cancel handle that a goroutine triggers once
// ctx is done. The handle is freed only after that goroutine has stopped.
func bounded(ctx context.Context, run func(*C.ferry_run_options) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o := C.ferry_run_options{version: C.FERRY_RUN_OPTIONS_VERSION}
	if deadline, ok := ctx.Deadline(); ok {
		// Rounded up, and at least 1 ms: 0 would mean no timeout.
		left := time.Until(deadline)
		o.timeout_ms = C.int64_t(max(1, (left+time.Millisecond-1)/time.Millisecond))
	}
	if ctx.Done() != nil {
		var cerr *C.ferry_error
		if err := takeError(C.ferry_cancel_new(&o.cancel, &cerr), cerr); err != nil {
			return err
		}
		defer C.ferry_cancel_free(o.cancel)
		finished, stopped := make(chan struct{}), make(chan struct{})
		go func(cancel *C.ferry_cancel) {
			defer close(stopped)
			select {
			case <-ctx.Done():
				C.ferry_cancel_trigger(cancel)
			case <-finished:
			}
		}(o.cancel)
		defer func() { close(finished); <-stopped }()
	}
	return withContextCause(run(&o), ctx)
}
