/* Ops Ferry reads in files but never runs: savers and restorers (Ferry
 * restores variables itself, and they sit beside every serving graph), and
 * ops that read or write files, which a load refuses where a signature needs
 * them unless the caller allows file ops. Their output specs let edges into
 * them resolve in graphs whose files carry no OpDef. */
#include "runtime/runtime.h"

#define NOT_RUN (FY_OP_NOT_RUN | FY_OP_DYNAMIC_SHAPE)
#define FILES (NOT_RUN | FY_OP_OUTSIDE)

const fy_op_def fy_not_run_ops[] = {
    { .name = "RestoreV2", .outputs = "tensors:dtypes", .traits = NOT_RUN },
    { .name = "RestoreSlice", .outputs = "tensor", .traits = NOT_RUN },
    { .name = "ShardedFilespec", .outputs = "filename", .traits = NOT_RUN },
    { .name = "ShardedFilename", .outputs = "filename", .traits = FILES },
    { .name = "SaveV2", .outputs = "", .traits = FILES },
    { .name = "SaveSlices", .outputs = "", .traits = FILES },
    { .name = "Save", .outputs = "", .traits = FILES },
    { .name = "MergeV2Checkpoints", .outputs = "", .traits = FILES },
    { .name = "ReadFile", .traits = FILES },
    { .name = "WriteFile", .outputs = "", .traits = FILES },
    { .name = "MatchingFiles", .traits = FILES },
    { .name = "ImmutableConst", .traits = FILES },
    { .name = "WriteSummary", .outputs = "", .traits = FILES },
    { .name = "WriteScalarSummary", .outputs = "", .traits = FILES },
    { .name = "CreateSummaryFileWriter", .outputs = "", .traits = FILES },
    { .name = "TFRecordDataset", .traits = FILES },
    { .name = "FixedLengthRecordDataset", .traits = FILES },
    { .name = "TextLineDataset", .traits = FILES },
    { .name = NULL },
};
