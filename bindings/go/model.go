package ferry

/*
#include <stdlib.h>
#include <ferry/ferry.h>

// Implemented in Go (print.go); takes the C strings without their const.
extern void ferryGoPrint(void *context, char *stream, char *text, size_t size);

// A ferry_print_fn for WithPrint. Not static: Go takes its address.
void ferry_go_print(void *context, const char *stream, const char *text, size_t size);
void ferry_go_print(void *context, const char *stream, const char *text, size_t size)
{
	ferryGoPrint(context, (char *)stream, (char *)text, size);
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// Format is the kind of file a model was loaded from.
type Format int

// Model formats (ferry_model_format).
const (
	SavedModel  Format = C.FERRY_FORMAT_SAVED_MODEL
	MetaGraph   Format = C.FERRY_FORMAT_META_GRAPH
	FrozenGraph Format = C.FERRY_FORMAT_FROZEN_GRAPH
)

func (f Format) String() string {
	switch f {
	case SavedModel:
		return "SavedModel"
	case MetaGraph:
		return "MetaGraph"
	case FrozenGraph:
		return "FrozenGraph"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Option configures LoadModel.
type Option func(*loadOptions)

type loadOptions struct {
	tags              *string
	checkpoint        *string
	restoreMap        map[string]string
	restoreOnlyMapped bool
	intraOpThreads    int
	flags             C.unsigned
	memoryLimit       int64
	maxGraphNodes     int64
	print             PrintFunc
}

// WithTags selects the MetaGraph of a SavedModel by its tag set (order does
// not matter). Without this option the "serve" tag set is loaded; WithTags()
// with no tags selects the empty tag set.
func WithTags(tags ...string) Option {
	s := strings.Join(tags, ",")
	return func(o *loadOptions) { o.tags = &s }
}

// WithCheckpoint names the checkpoint (prefix, directory or .index file) to
// restore a MetaGraph file's variables from. By default that is the .meta's
// own prefix, else the latest checkpoint in its directory.
func WithCheckpoint(path string) Option {
	return func(o *loadOptions) { o.checkpoint = &path }
}

// WithRestoreMap renames variables on restore: each key is a graph variable,
// its value the checkpoint entry that variable takes its value from. Calls
// add to the map.
func WithRestoreMap(variableToKey map[string]string) Option {
	return func(o *loadOptions) {
		if o.restoreMap == nil {
			o.restoreMap = map[string]string{}
		}
		for k, v := range variableToKey {
			o.restoreMap[k] = v
		}
	}
}

// WithRestoreOnlyMapped restores only the variables named in the restore map.
func WithRestoreOnlyMapped() Option {
	return func(o *loadOptions) { o.restoreOnlyMapped = true }
}

// WithMetadataOnly parses and describes the model without restoring
// variables or preparing plans; runs then fail.
func WithMetadataOnly() Option {
	return func(o *loadOptions) { o.flags |= C.FERRY_LOAD_METADATA_ONLY }
}

// WithAllowFileOps allows ops that read or write files or print.
func WithAllowFileOps() Option {
	return func(o *loadOptions) { o.flags |= C.FERRY_LOAD_ALLOW_FILE_OPS }
}

// WithMemoryLimit caps the bytes the tensors made by the model's runs may
// hold at once, all runs together; a run that would pass it fails with
// ErrOutOfMemory. 0, the default, means no limit but the system's.
func WithMemoryLimit(bytes int64) Option {
	return func(o *loadOptions) { o.memoryLimit = bytes }
}

// WithMaxGraphNodes caps the nodes the graph may have once its functions are
// inlined; a bigger model is refused with ErrUnsupported. 0, the default,
// means the library's default (1,000,000).
func WithMaxGraphNodes(n int64) Option {
	return func(o *loadOptions) { o.maxGraphNodes = n }
}

// WithPrint sends what the model's Print and PrintV2 ops write to f instead
// of standard error (see PrintFunc).
func WithPrint(f PrintFunc) Option {
	return func(o *loadOptions) { o.print = f }
}

// WithDiscardPrint makes the model's Print and PrintV2 ops write nothing.
func WithDiscardPrint() Option {
	return func(o *loadOptions) { o.flags |= C.FERRY_LOAD_DISCARD_PRINT }
}

// WithIntraOpThreads caps the threads one run may use (0, the default, means
// the number of cores).
func WithIntraOpThreads(n int) Option {
	return func(o *loadOptions) { o.intraOpThreads = n }
}

// modelHandle owns the C model. Model and its Signatures point at it, and it
// points at nothing, so its finalizer runs once all of them are unreachable.
//
// The C ABI lets many threads run one model at once but forbids freeing it
// during a run: every use holds the read lock, Close takes the write lock.
type modelHandle struct {
	mu    sync.RWMutex
	c     *C.ferry_model
	print *printSink // nil without WithPrint; freed after the model
}

func (h *modelHandle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.c != nil {
		C.ferry_model_free(h.c)
		h.c = nil
		live.Add(-1)
		h.print.free()
	}
}

// acquire read-locks an open model; the caller must call h.mu.RUnlock after.
func (h *modelHandle) acquire() (*C.ferry_model, error) {
	h.mu.RLock()
	if h.c == nil {
		h.mu.RUnlock()
		return nil, ErrClosed
	}
	return h.c, nil
}

// Model is a loaded TensorFlow model: a SavedModel, a MetaGraph with its
// checkpoint, or a frozen GraphDef. A Model may be run from many goroutines
// at once; runs that change variables are serialised by the library. Close
// waits for runs in progress, and later calls return ErrClosed.
type Model struct {
	h        *modelHandle
	sigs     []*Signature
	sigByKey map[string]*Signature
}

// LoadModel loads the model at path, detecting its format, restores its
// variables, runs its init ops and prepares every signature to run.
func LoadModel(path string, opts ...Option) (*Model, error) {
	var lo loadOptions
	for _, opt := range opts {
		opt(&lo)
	}
	var o C.ferry_model_options
	o.version = C.FERRY_MODEL_OPTIONS_VERSION
	o.flags = lo.flags
	o.intra_op_threads = C.int(lo.intraOpThreads)
	o.memory_limit = C.int64_t(lo.memoryLimit)
	o.max_graph_nodes = C.int64_t(lo.maxGraphNodes)
	if lo.restoreOnlyMapped {
		o.restore_only_mapped = 1
	}
	// Every string and array the options point at lives in C memory.
	var cstrs []string
	if lo.tags != nil {
		cstrs = append(cstrs, *lo.tags)
	}
	if lo.checkpoint != nil {
		cstrs = append(cstrs, *lo.checkpoint)
	}
	vars := make([]string, 0, len(lo.restoreMap))
	for v := range lo.restoreMap {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		cstrs = append(cstrs, v, lo.restoreMap[v])
	}
	cstrs = append(cstrs, path)
	ptrs, free := cStrings(cstrs)
	defer free()
	i := 0
	if lo.tags != nil {
		o.tags = ptrs[i]
		i++
	}
	if lo.checkpoint != nil {
		o.checkpoint = ptrs[i]
		i++
	}
	if len(vars) > 0 {
		pairs := (*C.ferry_name_pair)(C.calloc(C.size_t(len(vars)), C.size_t(unsafe.Sizeof(C.ferry_name_pair{}))))
		if pairs == nil {
			return nil, newError(CodeOutOfMemory, "out of memory for the restore map")
		}
		defer C.free(unsafe.Pointer(pairs))
		ps := unsafe.Slice(pairs, len(vars))
		for k := range vars {
			ps[k].variable = ptrs[i]
			ps[k].key = ptrs[i+1]
			i += 2
		}
		o.restore_map = pairs
		o.restore_map_count = C.size_t(len(vars))
	}
	cpath := ptrs[i]
	var sink *printSink
	if lo.print != nil {
		sink = newPrintSink(lo.print)
		o.print = C.ferry_print_fn(C.ferry_go_print)
		o.print_context = sink.context()
	}

	var c *C.ferry_model
	var cerr *C.ferry_error
	st := C.ferry_model_load(&c, cpath, &o, &cerr)
	if err := takeError(st, cerr); err != nil {
		sink.free()
		return nil, err
	}
	h := &modelHandle{c: c, print: sink}
	live.Add(1)
	runtime.SetFinalizer(h, (*modelHandle).close)
	m := &Model{h: h, sigByKey: map[string]*Signature{}}
	n := int(C.ferry_model_signature_count(c))
	for k := 0; k < n; k++ {
		s := newSignature(h, C.ferry_model_signature(c, C.size_t(k)))
		m.sigs = append(m.sigs, s)
		m.sigByKey[s.key] = s
	}
	runtime.KeepAlive(h)
	return m, nil
}

// Close frees the model once runs in progress have finished. Its Signatures
// stop working too. Closing twice is a no-op; it always returns nil.
func (m *Model) Close() error {
	if m == nil || m.h == nil {
		return nil
	}
	m.h.close()
	runtime.SetFinalizer(m.h, nil)
	return nil
}

// Signatures are the signatures of the loaded MetaGraph, sorted by key
// (TF2's "__saved_model_init_op" pseudo-signature included).
func (m *Model) Signatures() []*Signature {
	return append([]*Signature(nil), m.sigs...)
}

// Signature finds a signature by key. The error is ErrNotFound-compatible
// and lists the keys present.
func (m *Model) Signature(key string) (*Signature, error) {
	if s, ok := m.sigByKey[key]; ok {
		return s, nil
	}
	c, err := m.h.acquire()
	if err != nil {
		return nil, err
	}
	defer m.h.mu.RUnlock()
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var cs *C.ferry_signature
	var cerr *C.ferry_error
	st := C.ferry_model_find_signature(&cs, c, ckey, &cerr)
	if err := takeError(st, cerr); err != nil {
		return nil, err
	}
	return nil, newError(CodeInternal, fmt.Sprintf("signature %q found by the library but not listed", key))
}

// Format is the kind of file the model came from (0 after Close).
func (m *Model) Format() Format {
	c, err := m.h.acquire()
	if err != nil {
		return 0
	}
	defer m.h.mu.RUnlock()
	return Format(C.ferry_model_get_format(c))
}

// TensorFlowVersion is the TensorFlow version recorded in the file, or "".
func (m *Model) TensorFlowVersion() string {
	c, err := m.h.acquire()
	if err != nil {
		return ""
	}
	defer m.h.mu.RUnlock()
	return C.GoString(C.ferry_model_tensorflow_version(c))
}

func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// TagSets are the tag sets of every MetaGraph in the file, each sorted.
// Frozen graphs have none.
func (m *Model) TagSets() [][]string {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	n := int(C.ferry_model_tag_set_count(c))
	out := make([][]string, n)
	for i := range out {
		out[i] = splitTags(C.GoString(C.ferry_model_tag_set(c, C.size_t(i))))
	}
	return out
}

// LoadedTagSet is the tag set that was loaded, or nil for a frozen graph.
func (m *Model) LoadedTagSet() []string {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	s := C.ferry_model_loaded_tag_set(c)
	if s == nil {
		return nil
	}
	return splitTags(C.GoString(s))
}

// Ops are the sorted op types used by the graph and its function library.
func (m *Model) Ops() []string {
	return m.stringList(func(c *C.ferry_model) (int, func(int) *C.char) {
		return int(C.ferry_model_op_count(c)), func(i int) *C.char { return C.ferry_model_op(c, C.size_t(i)) }
	})
}

// StrippedOps are the op names in the MetaGraph's stripped_op_list (sorted).
func (m *Model) StrippedOps() []string {
	return m.stringList(func(c *C.ferry_model) (int, func(int) *C.char) {
		return int(C.ferry_model_stripped_op_count(c)),
			func(i int) *C.char { return C.ferry_model_stripped_op(c, C.size_t(i)) }
	})
}

func (m *Model) stringList(get func(*C.ferry_model) (int, func(int) *C.char)) []string {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	n, at := get(c)
	out := make([]string, n)
	for i := range out {
		out[i] = goStringOrEmpty(at(i))
	}
	return out
}

// NodeInfo describes a node of the loaded graph (top level, before inlining).
type NodeInfo struct {
	Name, Op, Device string
	Inputs           []string // "node", "node:1" or "^node"
}

// Nodes lists the nodes of the loaded graph.
func (m *Model) Nodes() []NodeInfo {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	out := make([]NodeInfo, int(C.ferry_model_node_count(c)))
	for i := range out {
		n := C.ferry_model_node(c, C.size_t(i))
		out[i] = NodeInfo{Name: goStringOrEmpty(n.name), Op: goStringOrEmpty(n.op),
			Device: goStringOrEmpty(n.device), Inputs: make([]string, int(n.input_count))}
		if n.input_count > 0 {
			for k, s := range unsafe.Slice(n.inputs, int(n.input_count)) {
				out[i].Inputs[k] = goStringOrEmpty(s)
			}
		}
	}
	return out
}

// AssetInfo is an asset file of a SavedModel.
type AssetInfo struct {
	Filename string // as recorded, e.g. "vocab.txt"
	Tensor   string // graph tensor fed with the path
	Path     string // resolved path on disk
}

// Assets lists the asset files of a SavedModel.
func (m *Model) Assets() []AssetInfo {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	out := make([]AssetInfo, int(C.ferry_model_asset_count(c)))
	for i := range out {
		a := C.ferry_model_asset(c, C.size_t(i))
		out[i] = AssetInfo{goStringOrEmpty(a.filename), goStringOrEmpty(a.tensor), goStringOrEmpty(a.path)}
	}
	return out
}

// SaverInfo is a MetaGraph's SaverDef.
type SaverInfo struct {
	FilenameTensor, SaveTensor, RestoreOp string
	MaxToKeep                             int
	Sharded                               bool
	KeepCheckpointEveryNHours             float32
	FormatVersion                         int // 0 LEGACY, 1 V1, 2 V2
}

// Saver is the MetaGraph's SaverDef, or nil when it has none.
func (m *Model) Saver() *SaverInfo {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	s := C.ferry_model_saver(c)
	if s == nil {
		return nil
	}
	return &SaverInfo{
		FilenameTensor: goStringOrEmpty(s.filename_tensor), SaveTensor: goStringOrEmpty(s.save_tensor),
		RestoreOp: goStringOrEmpty(s.restore_op), MaxToKeep: int(s.max_to_keep), Sharded: s.sharded != 0,
		KeepCheckpointEveryNHours: float32(s.keep_checkpoint_every_n_hours), FormatVersion: int(s.format_version),
	}
}

// CollectionKind says which field of a Collection is set.
type CollectionKind int

// Collection kinds (ferry_collection_kind).
const (
	NodeList  CollectionKind = C.FERRY_COLLECTION_NODE_LIST
	BytesList CollectionKind = C.FERRY_COLLECTION_BYTES_LIST
	Int64List CollectionKind = C.FERRY_COLLECTION_INT64_LIST
	FloatList CollectionKind = C.FERRY_COLLECTION_FLOAT_LIST
	AnyList   CollectionKind = C.FERRY_COLLECTION_ANY_LIST
)

// Collection is a MetaGraph CollectionDef. NodeList and BytesList fill
// Values; AnyList fills TypeURLs and Values (packed message bytes); Int64List
// fills Ints; FloatList fills Floats.
type Collection struct {
	Name     string
	Kind     CollectionKind
	Values   [][]byte
	TypeURLs []string
	Ints     []int64
	Floats   []float32
}

// Collections lists the MetaGraph's collections.
func (m *Model) Collections() []Collection {
	c, err := m.h.acquire()
	if err != nil {
		return nil
	}
	defer m.h.mu.RUnlock()
	out := make([]Collection, int(C.ferry_model_collection_count(c)))
	for i := range out {
		col := C.ferry_model_collection(c, C.size_t(i))
		n := int(col.count)
		out[i] = Collection{Name: goStringOrEmpty(col.name), Kind: CollectionKind(col.kind)}
		if n == 0 {
			continue
		}
		if col.values != nil {
			out[i].Values = make([][]byte, n)
			for k, s := range unsafe.Slice(col.values, n) {
				out[i].Values[k] = C.GoBytes(unsafe.Pointer(s.data), C.int(s.size))
			}
		}
		if col.type_urls != nil {
			out[i].TypeURLs = make([]string, n)
			for k, s := range unsafe.Slice(col.type_urls, n) {
				out[i].TypeURLs[k] = goStringOrEmpty(s)
			}
		}
		if col.ints != nil {
			out[i].Ints = append([]int64(nil), unsafe.Slice((*int64)(unsafe.Pointer(col.ints)), n)...)
		}
		if col.floats != nil {
			out[i].Floats = append([]float32(nil), unsafe.Slice((*float32)(unsafe.Pointer(col.floats)), n)...)
		}
	}
	return out
}

// Run runs the graph TF1 Session.run style: feeds maps tensor names ("x:0")
// to values, fetches names the tensors to return (in that order) and targets
// names nodes to run for their effects. Plans are prepared on first use of a
// feed/fetch/target combination and cached. The caller owns (and should
// Close) the returned tensors; the feeds are only read.
func (m *Model) Run(feeds map[string]*Tensor, fetches []string, targets []string) ([]*Tensor, error) {
	return m.run(feeds, fetches, targets, nil)
}

// run is Run bounded by opts (nil: unbounded).
func (m *Model) run(feeds map[string]*Tensor, fetches, targets []string, opts *C.ferry_run_options) ([]*Tensor, error) {
	c, err := m.h.acquire()
	if err != nil {
		return nil, err
	}
	defer m.h.mu.RUnlock()
	feedNames, feedTensors, err := orderedInputs(feeds, "feed")
	if err != nil {
		return nil, err
	}
	names := append(append(append([]string{}, feedNames...), fetches...), targets...)
	ptrs, free := cStrings(names)
	defer free()
	nf, nt := len(feedNames), len(fetches)
	outs := make([]*C.ferry_tensor, max(1, nt))
	var cerr *C.ferry_error
	st := C.ferry_model_run_v2(&outs[0], c,
		firstOrNil(ptrs[:nf]), firstOrNil(feedTensors), C.size_t(nf),
		firstOrNil(ptrs[nf:nf+nt]), C.size_t(nt),
		firstOrNil(ptrs[nf+nt:]), C.size_t(len(targets)), opts, &cerr)
	runtime.KeepAlive(feeds)
	if err := takeError(st, cerr); err != nil {
		return nil, err
	}
	result := make([]*Tensor, nt)
	for i := range result {
		result[i] = wrapTensor(outs[i])
	}
	return result, nil
}

// firstOrNil points at a slice's first element, or is nil for an empty one.
func firstOrNil[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

// orderedInputs sorts a feed map by name (so equal requests share a cached
// plan) and checks every tensor is open.
func orderedInputs(in map[string]*Tensor, what string) ([]string, []*C.ferry_tensor, error) {
	names := make([]string, 0, len(in))
	for n := range in {
		names = append(names, n)
	}
	sort.Strings(names)
	ts := make([]*C.ferry_tensor, len(names))
	for i, n := range names {
		t := in[n]
		if t == nil {
			return nil, nil, newError(CodeInvalidArgument, fmt.Sprintf("%s '%s' is nil", what, n))
		}
		c, err := t.handle()
		if err != nil {
			return nil, nil, fmt.Errorf("ferry: %s '%s': %w", what, n, err)
		}
		ts[i] = c
	}
	return names, ts, nil
}

// ---- Signatures ------------------------------------------------------------

// Encoding says how a signature tensor is represented in the graph.
type Encoding int

// Tensor encodings (ferry_tensor_encoding).
const (
	Dense     Encoding = C.FERRY_ENCODING_DENSE      // one graph tensor
	CooSparse Encoding = C.FERRY_ENCODING_COO_SPARSE // values, indices and dense-shape tensors
	Composite Encoding = C.FERRY_ENCODING_COMPOSITE  // a composite (ragged...) tensor; not runnable
)

// TensorInfo describes a tensor a signature takes or gives.
type TensorInfo struct {
	Name   string  // logical name, e.g. "x"
	Tensor string  // graph tensor, e.g. "serving_default_x:0" (sparse: the values)
	DType  DType   // Invalid for the init-op pseudo-signature
	Shape  []int64 // -1 for an unknown dim; nil when the rank is unknown
	// Encoding is Dense for ordinary tensors; CooSparse tensors name their
	// IndicesTensor and DenseShapeTensor too.
	Encoding                        Encoding
	IndicesTensor, DenseShapeTensor string
}

// Signature is one entry of a SavedModel's signature map. Its description is
// copied into Go at load; Run needs the Model to be open.
type Signature struct {
	h               *modelHandle
	c               *C.ferry_signature
	key, method     string
	inputs, outputs []TensorInfo
}

func newSignature(h *modelHandle, c *C.ferry_signature) *Signature {
	s := &Signature{h: h, c: c, key: C.GoString(C.ferry_signature_key(c)),
		method: goStringOrEmpty(C.ferry_signature_method(c))}
	s.inputs = make([]TensorInfo, int(C.ferry_signature_input_count(c)))
	for i := range s.inputs {
		s.inputs[i] = tensorInfo(C.ferry_signature_input(c, C.size_t(i)))
	}
	s.outputs = make([]TensorInfo, int(C.ferry_signature_output_count(c)))
	for i := range s.outputs {
		s.outputs[i] = tensorInfo(C.ferry_signature_output(c, C.size_t(i)))
	}
	return s
}

func tensorInfo(c *C.ferry_tensor_info) TensorInfo {
	return TensorInfo{
		Name: goStringOrEmpty(c.name), Tensor: goStringOrEmpty(c.tensor), DType: DType(c.dtype),
		Shape: goDims(c.dims, c.rank), Encoding: Encoding(c.encoding),
		IndicesTensor: goStringOrEmpty(c.indices_tensor), DenseShapeTensor: goStringOrEmpty(c.dense_shape_tensor),
	}
}

func cloneInfos(in []TensorInfo) []TensorInfo {
	out := append([]TensorInfo(nil), in...)
	for i := range out {
		if out[i].Shape != nil {
			out[i].Shape = append([]int64{}, out[i].Shape...)
		}
	}
	return out
}

// Key is the signature's key, e.g. "serving_default".
func (s *Signature) Key() string { return s.key }

// Method is the signature's method name, e.g. "tensorflow/serving/predict".
func (s *Signature) Method() string { return s.method }

// Inputs are the signature's inputs, sorted by logical name.
func (s *Signature) Inputs() []TensorInfo { return cloneInfos(s.inputs) }

// Outputs are the signature's outputs, sorted by logical name.
func (s *Signature) Outputs() []TensorInfo { return cloneInfos(s.outputs) }

// Run runs the signature. inputs maps logical input names to values; every
// input the signature needs must be given. The result maps every logical
// output name to a new tensor the caller owns (and should Close). Errors:
// ErrNotFound for an unknown input name, ErrInvalidArgument when a dtype or
// shape contradicts the signature, ErrRuntime when the run fails on its data.
func (s *Signature) Run(inputs map[string]*Tensor) (map[string]*Tensor, error) {
	return s.run(inputs, nil)
}

// run is Run bounded by opts (nil: unbounded).
func (s *Signature) run(inputs map[string]*Tensor, opts *C.ferry_run_options) (map[string]*Tensor, error) {
	if _, err := s.h.acquire(); err != nil {
		return nil, err
	}
	defer s.h.mu.RUnlock()
	names, tensors, err := orderedInputs(inputs, "input")
	if err != nil {
		return nil, err
	}
	ptrs, free := cStrings(names)
	defer free()
	outs := make([]*C.ferry_tensor, max(1, len(s.outputs)))
	var cerr *C.ferry_error
	st := C.ferry_signature_run_v2(&outs[0], s.c, firstOrNil(ptrs), firstOrNil(tensors), C.size_t(len(names)), opts,
		&cerr)
	runtime.KeepAlive(inputs)
	if err := takeError(st, cerr); err != nil {
		return nil, err
	}
	result := make(map[string]*Tensor, len(s.outputs))
	for i, o := range s.outputs {
		result[o.Name] = wrapTensor(outs[i])
	}
	return result, nil
}
