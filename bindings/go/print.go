package ferry

/*
#include <stdlib.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// PrintFunc receives what a model's Print and PrintV2 ops write: stream is
// the op's output stream ("stderr", "stdout", "log(info)", ...), text one
// op's output ending with its line end. It is called on the thread running
// the op, possibly from several runs at once; it must not call back into the
// model, and must not panic.
type PrintFunc func(stream, text string)

// printSink lends a PrintFunc to the C library: C gets a block of C memory
// holding a cgo.Handle, never a Go pointer.
type printSink struct {
	h   cgo.Handle
	ctx unsafe.Pointer
}

func newPrintSink(f PrintFunc) *printSink {
	ctx := C.malloc(C.size_t(unsafe.Sizeof(uintptr(0))))
	if ctx == nil {
		panic("ferry: out of C memory")
	}
	h := cgo.NewHandle(f)
	*(*uintptr)(ctx) = uintptr(h)
	return &printSink{h: h, ctx: ctx}
}

func (s *printSink) context() unsafe.Pointer { return s.ctx }

// free releases the handle and its block; only once the model is freed.
func (s *printSink) free() {
	if s == nil {
		return
	}
	s.h.Delete()
	C.free(s.ctx)
}

//export ferryGoPrint
func ferryGoPrint(context unsafe.Pointer, stream, text *C.char, size C.size_t) {
	f := cgo.Handle(*(*uintptr)(context)).Value().(PrintFunc)
	f(C.GoString(stream), C.GoStringN(text, C.int(size)))
}
