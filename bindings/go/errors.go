package ferry

/*
#include <ferry/ferry.h>
*/
import "C"

import (
	"context"
	"errors"
)

// Code is a Ferry status code (ferry_status). New codes may appear in later
// versions; treat any unknown non-zero code as a failure.
type Code int

// The status codes of the C ABI, with the same values.
const (
	CodeOK               Code = C.FERRY_OK
	CodeInvalidArgument  Code = C.FERRY_ERR_INVALID_ARGUMENT // a bad value: wrong dtype or shape fed, bad Go value
	CodeNotFound         Code = C.FERRY_ERR_NOT_FOUND        // a file, tensor, variable, signature or tag set does not exist
	CodeIO               Code = C.FERRY_ERR_IO               // the operating system failed a read, write, map or rename
	CodeCorrupt          Code = C.FERRY_ERR_CORRUPT          // a file is malformed
	CodeUnsupported      Code = C.FERRY_ERR_UNSUPPORTED      // valid TensorFlow input Ferry cannot handle
	CodeOutOfMemory      Code = C.FERRY_ERR_OUT_OF_MEMORY
	CodeRefused          Code = C.FERRY_ERR_REFUSED // refused by policy (file ops, paths escaping a model)
	CodeRuntime          Code = C.FERRY_ERR_RUNTIME // a run failed on its data
	CodeInternal         Code = C.FERRY_ERR_INTERNAL
	CodeDeadlineExceeded Code = C.FERRY_ERR_DEADLINE_EXCEEDED // a run took longer than its timeout
	CodeCancelled        Code = C.FERRY_ERR_CANCELLED         // a run's cancel handle was triggered
)

// String is the library's short name for the code, e.g. "not found".
func (c Code) String() string {
	return C.GoString(C.ferry_status_name(C.ferry_status(c)))
}

// Error is the error every failing Ferry call returns: the status code and the
// library's one-line message. Compare with the sentinels through errors.Is:
//
//	if errors.Is(err, ferry.ErrNotFound) { ... }
//
// Runs ended by RunContext also match the context error that ended them
// (errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled)).
type Error struct {
	code     Code
	msg      string
	sentinel bool
	cause    error // the context error behind a DEADLINE_EXCEEDED or CANCELLED run, else nil
}

// Code is the status code of the failure.
func (e *Error) Code() Code { return e.code }

// Error is the message of the C library, unchanged (or, for failures the Go
// binding detects itself, a message starting with "ferry: ").
func (e *Error) Error() string { return e.msg }

// Is makes errors.Is(err, ErrNotFound) and friends match any *Error with the
// sentinel's code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.code == e.code
}

// Unwrap gives the context error that ended a run (see RunContext), or nil.
func (e *Error) Unwrap() error { return e.cause }

func sentinel(c Code) *Error {
	return &Error{code: c, msg: "ferry: " + c.String(), sentinel: true}
}

// Sentinels for errors.Is, one per status code. Each matches every *Error
// that carries its code.
var (
	ErrInvalidArgument  = sentinel(CodeInvalidArgument)
	ErrNotFound         = sentinel(CodeNotFound)
	ErrIO               = sentinel(CodeIO)
	ErrCorrupt          = sentinel(CodeCorrupt)
	ErrUnsupported      = sentinel(CodeUnsupported)
	ErrOutOfMemory      = sentinel(CodeOutOfMemory)
	ErrRefused          = sentinel(CodeRefused)
	ErrRuntime          = sentinel(CodeRuntime)
	ErrInternal         = sentinel(CodeInternal)
	ErrDeadlineExceeded = sentinel(CodeDeadlineExceeded)
	ErrCancelled        = sentinel(CodeCancelled)
)

// ErrClosed is returned when a Model, Checkpoint, CheckpointWriter or Tensor is
// used after Close.
var ErrClosed = errors.New("ferry: use of a closed handle")

// takeError turns the error object a failing C call handed back into a Go
// error, freeing the C object. It never consults thread-local state: every
// C call gets its own ferry_error out-parameter.
func takeError(status C.ferry_status, cerr *C.ferry_error) error {
	if status == C.FERRY_OK {
		if cerr != nil {
			C.ferry_error_free(cerr)
		}
		return nil
	}
	if cerr == nil {
		return &Error{code: Code(status), msg: Code(status).String()}
	}
	e := &Error{code: Code(C.ferry_error_code(cerr)), msg: C.GoString(C.ferry_error_message(cerr))}
	C.ferry_error_free(cerr)
	return e
}

// withContextCause links a run's DEADLINE_EXCEEDED or CANCELLED error to
// the context error it stands for; other errors pass through.
func withContextCause(err error, ctx context.Context) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	switch e.code {
	case CodeDeadlineExceeded:
		e.cause = context.DeadlineExceeded
	case CodeCancelled:
		// The watcher triggers the handle for a passed deadline too.
		if e.cause = ctx.Err(); e.cause == nil {
			e.cause = context.Canceled
		}
	}
	return err
}

// newError makes an error the Go binding detects before calling C.
func newError(c Code, msg string) error {
	return &Error{code: c, msg: "ferry: " + msg}
}
