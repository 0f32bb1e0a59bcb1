/*
 * Fused kernels for training graphs on ONNX Runtime's CPU provider (domain "dev.rlhf"): this file's
 * elementwise ones, the operator descriptions of all of them, and the library's entry point.
 *
 * ONNX Runtime runs a graph one node at a time, and each elementwise node is a full pass over memory.
 * The AdamW update takes thirteen such passes per parameter and the tanh GELU six forward and seven
 * backward; here each is one pass. The engine rewrites a graph to use these kernels only when this
 * library is loaded (runtime/FusedKernels.java); otherwise the same graph runs on standard operators.
 *
 *   AdamWStep(param, grad, m, v, beta1, firstWeight, beta2, secondWeight, scaledEpsilon, decay, stepSize)
 *       -> (param', m', v')   the update of optim/AdamW.java, in the same float32 operations and order,
 *                             so the result equals the unfused graph's bit for bit (no FMA contraction:
 *                             built with -ffp-contract=off)
 *   GeluTanh(x) -> y          y = x sigmoid(u), u = 2 sqrt(2/pi) (x + 0.044715 x^3)
 *   GeluTanhGrad(x, dy) -> dx dx = dy (s + y (1 - s) u'(x)), recomputing s and y from x (and 1 - s without
 *                             cancellation, so large x keep float32 accuracy)
 *   LayerNormGrad(dy, x, scale, mean, rstd) -> (dx, dscale, dbias)
 *                             the backward pass of LayerNormalization over the last axis, from the
 *                             mean and inverse std its forward node saved: two passes over each row
 *                             instead of thirteen over the whole tensor
 *   SumRows(x) -> sum         x summed over every axis but the last: a bias's gradient, which ONNX
 *                             Runtime's ReduceSum over leading axes computes at a third of memory speed
 *   SwiGlu(gu) -> h, SwiGluGrad(dh, gu) -> dgu
 *                             Llama's gated MLP activation on the packed gate and up projections (swiglu.c)
 *   CausalAttention, CausalAttentionGrad, GroupedAttention, GroupedAttentionGrad
 *                             self-attention under a causal mask and its backward pass, on packed or
 *                             grouped-query projections (attention_ops.c, causal_attention.c)
 *
 * Only the C API of onnxruntime_c_api.h is used; the build fetches that header (build.sh).
 */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "rlhf_ops.h"

const OrtApi *ort;

/* Elements per ParallelFor task: large enough that scheduling costs nothing next to the memory traffic. */
#define CHUNK 16384

/* ---- kernels over [begin, end) -------------------------------------------------------------- */

typedef struct {
    const float *p, *g, *m, *v;
    float *p_out, *m_out, *v_out;
    float beta1, first_weight, beta2, second_weight, scaled_epsilon, decay, step_size;
} AdamWArgs;

__attribute__((target_clones("avx512f", "avx2", "default")))
static void adamw_range(const void *args, size_t begin, size_t end) {
    const AdamWArgs *a = args;
    /* locals: the stores cannot change the factors; ivdep: nor the inputs (outputs never alias them) */
    const float *p = a->p, *grad = a->g, *m_in = a->m, *v_in = a->v;
    float *p_out = a->p_out, *m_out = a->m_out, *v_out = a->v_out;
    const float beta1 = a->beta1, first_weight = a->first_weight, beta2 = a->beta2, second_weight = a->second_weight;
    const float scaled_epsilon = a->scaled_epsilon, decay = a->decay, step_size = a->step_size;
#pragma GCC ivdep
    for (size_t i = begin; i < end; i++) {
        float g = grad[i];
        float m = m_in[i] * beta1 + g * first_weight;
        float v = v_in[i] * beta2 + (g * g) * second_weight;
        float denom = sqrtf(v) + scaled_epsilon;
        p_out[i] = p[i] * decay - (m / denom) * step_size;
        m_out[i] = m;
        v_out[i] = v;
    }
}

/* u = K1 x + K3 x^3, written as x (x^2 K3 + K1) like the unfused graph */
#define K1 1.5957691216057308f   /* 2 sqrt(2/pi) */
#define K3 0.0713548162726009f   /* 2 sqrt(2/pi) 0.044715 */

typedef struct {
    const float *x, *dy;
    float *out;
} GeluArgs;

__attribute__((target_clones("avx512f", "avx2", "default")))
static void gelu_range(const void *args, size_t begin, size_t end) {
    const GeluArgs *a = args;
    const float *in = a->x;
    float *out = a->out;
#pragma GCC ivdep
    for (size_t i = begin; i < end; i++) {
        float x = in[i];
        float u = x * (x * x * K3 + K1);
        out[i] = x / (1.0f + exp_approx(-u));
    }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
static void gelu_grad_range(const void *args, size_t begin, size_t end) {
    const GeluArgs *a = args;
    const float *in = a->x, *dy = a->dy;
    float *out = a->out;
#pragma GCC ivdep
    for (size_t i = begin; i < end; i++) {
        float x = in[i];
        float square = x * x;
        float e = exp_approx(-x * (square * K3 + K1));
        float s = 1.0f / (1.0f + e);
        float y = x * s;
        float slope = square * (3.0f * K3) + K1;
        /* 1 - s as e s: for large x, 1.0f - s would cancel to a few significant bits */
        out[i] = dy[i] * (y * slope * (e * s) + s);
    }
}

typedef struct {
    const float *dy, *x, *scale, *mean, *rstd;
    float *dx;
    float *partials;   /* per task: dscale (width) then dbias (width) */
    size_t rows, width, rows_per_task;
} LayerNormGradArgs;

/*
 * Rows [begin, end): dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with dxhat = dy scale and
 * xhat = (x - mean) rstd, from the forward pass's saved mean and rstd; and this task's share of
 * dscale = sum over rows of dy xhat and dbias = sum of dy.
 */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void layer_norm_grad_rows(const LayerNormGradArgs *a, size_t begin, size_t end, float *dscale, float *dbias) {
    const size_t width = a->width;
    const float *scale = a->scale;
    for (size_t r = begin; r < end; r++) {
        const float *dy = a->dy + r * width, *x = a->x + r * width;
        float *dx = a->dx + r * width;
        const float mean = a->mean[r], rstd = a->rstd[r];
        float sum_dxhat = 0.0f, sum_dxhat_xhat = 0.0f;
#pragma omp simd reduction(+ : sum_dxhat, sum_dxhat_xhat)
        for (size_t j = 0; j < width; j++) {
            float xhat = (x[j] - mean) * rstd;
            float dxhat = dy[j] * scale[j];
            sum_dxhat += dxhat;
            sum_dxhat_xhat += dxhat * xhat;
            dscale[j] += dy[j] * xhat;
            dbias[j] += dy[j];
        }
        const float mean_dxhat = sum_dxhat / (float) width, mean_dxhat_xhat = sum_dxhat_xhat / (float) width;
#pragma GCC ivdep
        for (size_t j = 0; j < width; j++) {
            float xhat = (x[j] - mean) * rstd;
            dx[j] = rstd * (dy[j] * scale[j] - mean_dxhat - xhat * mean_dxhat_xhat);
        }
    }
}

/* The end of the block of at most `size` items that starts at `begin`, in `total` items. */
static size_t block_end(size_t begin, size_t size, size_t total) {
    return begin + size < total ? begin + size : total;
}

/* How many blocks of `size` items cover `total` items. */
static size_t blocks(size_t total, size_t size) {
    return (total + size - 1) / size;
}

static void layer_norm_grad_task(void *args, size_t task) {
    const LayerNormGradArgs *a = args;
    size_t begin = task * a->rows_per_task, end = block_end(begin, a->rows_per_task, a->rows);
    float *dscale = a->partials + task * 2 * a->width;
    layer_norm_grad_rows(a, begin, end, dscale, dscale + a->width);
}

typedef struct {
    const float *x;
    float *partials;   /* per task: its rows' sum (width) */
    size_t rows, width, rows_per_task;
} SumRowsArgs;

__attribute__((target_clones("avx512f", "avx2", "default")))
static void sum_rows_range(const float *x, size_t begin, size_t end, size_t width, float *sum) {
    for (size_t r = begin; r < end; r++) {
        const float *row = x + r * width;
#pragma GCC ivdep
        for (size_t j = 0; j < width; j++) sum[j] += row[j];
    }
}

static void sum_rows_task(void *args, size_t task) {
    const SumRowsArgs *a = args;
    size_t begin = task * a->rows_per_task, end = block_end(begin, a->rows_per_task, a->rows);
    sum_rows_range(a->x, begin, end, a->width, a->partials + task * a->width);
}

OrtStatus *parallel_tasks(OrtKernelContext *context, void (*task)(void *, size_t), size_t tasks, void *args) {
    if (tasks <= 1) {
        if (tasks == 1) task(args, 0);
        return NULL;
    }
    return ort->KernelContext_ParallelFor(context, task, tasks, 0, args);
}

/* An elementwise kernel: range(args, begin, end) over n elements, in tasks of CHUNK. */
typedef void (*Range)(const void *args, size_t begin, size_t end);

typedef struct {
    Range range;
    const void *args;
    size_t n;
} Elementwise;

static void elementwise_task(void *job, size_t task) {
    const Elementwise *e = job;
    e->range(e->args, task * CHUNK, block_end(task * CHUNK, CHUNK, e->n));
}

static OrtStatus *parallel(OrtKernelContext *context, Range range, const void *args, size_t n) {
    Elementwise job = {.range = range, .args = args, .n = n};
    return parallel_tasks(context, elementwise_task, blocks(n, CHUNK), &job);
}

/*
 * How the row-summing kernels split `rows` rows of `width` elements: blocks of at least CHUNK elements, and
 * at most MAX_ROW_TASKS blocks, so that their per-block partial sums stay small (a few pages, not an mmap
 * and its page faults per call) and cheap to add up.
 */
#define MAX_ROW_TASKS 16

static size_t rows_per_task(size_t rows, size_t width) {
    size_t by_size = width == 0 || width >= CHUNK ? 1 : CHUNK / width;
    size_t by_count = (rows + MAX_ROW_TASKS - 1) / MAX_ROW_TASKS;
    return by_size > by_count ? by_size : by_count;
}

/* ---- tensors ---------------------------------------------------------------------------------- */

OrtStatus *input(OrtKernelContext *context, size_t index, Input *in) {
    const OrtValue *value;
    OrtTensorTypeAndShapeInfo *info;
    CHECK(ort->KernelContext_GetInput(context, index, &value));
    CHECK(ort->GetTensorTypeAndShape(value, &info));
    OrtStatus *status = ort->GetDimensionsCount(info, &in->rank);
    if (status == NULL && in->rank > 8) status = ort->CreateStatus(ORT_INVALID_ARGUMENT, "rank above 8");
    if (status == NULL) status = ort->GetDimensions(info, in->dims, in->rank);
    if (status == NULL) status = ort->GetTensorShapeElementCount(info, &in->count);
    ort->ReleaseTensorTypeAndShapeInfo(info);
    if (status != NULL) return status;
    return ort->GetTensorData(value, (const void **) &in->data);
}

static OrtStatus *same_shape(const Input *a, const Input *b, const char *message) {
    if (a->rank != b->rank) return ort->CreateStatus(ORT_INVALID_ARGUMENT, message);
    for (size_t i = 0; i < a->rank; i++) {
        if (a->dims[i] != b->dims[i]) return ort->CreateStatus(ORT_INVALID_ARGUMENT, message);
    }
    return NULL;
}

static OrtStatus *scalar(OrtKernelContext *context, size_t index, float *out) {
    Input in;
    CHECK(input(context, index, &in));
    if (in.count != 1) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "AdamWStep: factors must be scalars");
    *out = in.data[0];
    return NULL;
}

OrtStatus *output(OrtKernelContext *context, size_t index, const int64_t *dims, size_t rank, float **data) {
    OrtValue *value;
    CHECK(ort->KernelContext_GetOutput(context, index, dims, rank, &value));
    return ort->GetTensorMutableData(value, (void **) data);
}

static OrtStatus *output_like(OrtKernelContext *context, size_t index, const Input *like, float **data) {
    return output(context, index, like->dims, like->rank, data);
}

/* ---- kernels as ONNX Runtime calls them ------------------------------------------------------- */

static OrtStatus *adamw_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input p, g, m, v;
    CHECK(input(context, 0, &p));
    CHECK(input(context, 1, &g));
    CHECK(input(context, 2, &m));
    CHECK(input(context, 3, &v));
    CHECK(same_shape(&p, &g, "AdamWStep: grad's shape differs from param's"));
    CHECK(same_shape(&p, &m, "AdamWStep: m's shape differs from param's"));
    CHECK(same_shape(&p, &v, "AdamWStep: v's shape differs from param's"));
    AdamWArgs a = {.p = p.data, .g = g.data, .m = m.data, .v = v.data};
    CHECK(scalar(context, 4, &a.beta1));
    CHECK(scalar(context, 5, &a.first_weight));
    CHECK(scalar(context, 6, &a.beta2));
    CHECK(scalar(context, 7, &a.second_weight));
    CHECK(scalar(context, 8, &a.scaled_epsilon));
    CHECK(scalar(context, 9, &a.decay));
    CHECK(scalar(context, 10, &a.step_size));
    CHECK(output_like(context, 0, &p, &a.p_out));
    CHECK(output_like(context, 1, &p, &a.m_out));
    CHECK(output_like(context, 2, &p, &a.v_out));
    return parallel(context, adamw_range, &a, p.count);
}

static OrtStatus *gelu_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input x;
    CHECK(input(context, 0, &x));
    GeluArgs a = {.x = x.data};
    CHECK(output_like(context, 0, &x, &a.out));
    return parallel(context, gelu_range, &a, x.count);
}

static OrtStatus *gelu_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input x, dy;
    CHECK(input(context, 0, &x));
    CHECK(input(context, 1, &dy));
    CHECK(same_shape(&x, &dy, "GeluTanhGrad: dy's shape differs from x's"));
    GeluArgs a = {.x = x.data, .dy = dy.data};
    CHECK(output_like(context, 0, &x, &a.out));
    return parallel(context, gelu_grad_range, &a, x.count);
}

static OrtStatus *layer_norm_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input dy, x, scale, mean, rstd;
    CHECK(input(context, 0, &dy));
    CHECK(input(context, 1, &x));
    CHECK(input(context, 2, &scale));
    CHECK(input(context, 3, &mean));
    CHECK(input(context, 4, &rstd));
    CHECK(same_shape(&x, &dy, "LayerNormGrad: dy's shape differs from x's"));
    if (x.rank == 0) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "LayerNormGrad: x is a scalar");
    size_t width = (size_t) x.dims[x.rank - 1], rows = width == 0 ? 0 : x.count / width;
    if (scale.count != width) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "LayerNormGrad: scale is not x's last axis");
    if (mean.count != rows || rstd.count != rows) {
        return ort->CreateStatus(ORT_INVALID_ARGUMENT, "LayerNormGrad: mean and rstd need one value per row of x");
    }
    LayerNormGradArgs a = {.dy = dy.data, .x = x.data, .scale = scale.data, .mean = mean.data, .rstd = rstd.data,
                           .rows = rows, .width = width};
    float *dscale, *dbias;
    CHECK(output_like(context, 0, &x, &a.dx));
    CHECK(output_like(context, 1, &scale, &dscale));
    CHECK(output_like(context, 2, &scale, &dbias));
    a.rows_per_task = rows_per_task(rows, width);
    size_t tasks = blocks(rows, a.rows_per_task);
    a.partials = calloc(tasks * 2 * width + 1, sizeof(float));
    if (a.partials == NULL) return ort->CreateStatus(ORT_FAIL, "LayerNormGrad: out of memory");
    OrtStatus *status = parallel_tasks(context, layer_norm_grad_task, tasks, &a);
    for (size_t j = 0; j < width; j++) {
        float s = 0.0f, b = 0.0f;
        for (size_t t = 0; t < tasks; t++) {
            s += a.partials[t * 2 * width + j];
            b += a.partials[t * 2 * width + width + j];
        }
        dscale[j] = s;
        dbias[j] = b;
    }
    free(a.partials);
    return status;
}

static OrtStatus *sum_rows_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input x;
    CHECK(input(context, 0, &x));
    if (x.rank < 2) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "SumRows: x needs two or more axes");
    SumRowsArgs a = {.x = x.data, .width = (size_t) x.dims[x.rank - 1]};
    a.rows = a.width == 0 ? 0 : x.count / a.width;
    a.rows_per_task = rows_per_task(a.rows, a.width);
    Input row = {.rank = 1, .dims = {x.dims[x.rank - 1]}, .count = a.width};
    float *sum;
    CHECK(output_like(context, 0, &row, &sum));
    size_t tasks = blocks(a.rows, a.rows_per_task);
    a.partials = calloc(tasks * a.width + 1, sizeof(float));
    if (a.partials == NULL) return ort->CreateStatus(ORT_FAIL, "SumRows: out of memory");
    OrtStatus *status = parallel_tasks(context, sum_rows_task, tasks, &a);
    for (size_t j = 0; j < a.width; j++) {
        float total = 0.0f;
        for (size_t t = 0; t < tasks; t++) total += a.partials[t * a.width + j];
        sum[j] = total;
    }
    free(a.partials);
    return status;
}

/* ---- operator descriptions -------------------------------------------------------------------- */

/* Output i's shape: input `source`'s axes, in the order `axes` lists them (END ends it; NULL: all of them). */
typedef struct {
    size_t source;
    const int *axes;
} ShapeOf;

#define END (-1)
#define LAST (-2)   /* the source's last axis */
static const int LAST_AXIS[] = {LAST, END};

typedef struct {
    OrtCustomOp base;   /* first member: ONNX Runtime hands back a pointer to it */
    const char *name;
    size_t inputs, outputs;
    ShapeOf shapes[3];
    OrtStatus *(*compute)(void *, OrtKernelContext *);
} FusedOp;

static const FusedOp *fused(const OrtCustomOp *op) { return (const FusedOp *) op; }

static OrtStatus *create_kernel(const OrtCustomOp *op, const OrtApi *api, const OrtKernelInfo *info, void **kernel) {
    (void) api;
    (void) info;
    *kernel = (void *) op;   /* stateless: the op description is the kernel */
    return NULL;
}

static OrtStatus *compute(void *kernel, OrtKernelContext *context) {
    return fused(kernel)->compute(kernel, context);
}

static void destroy_kernel(void *kernel) { (void) kernel; }

/* The version-1 entry points, for runtimes that call them rather than the V2 ones. */
static void *create_kernel_v1(const OrtCustomOp *op, const OrtApi *api, const OrtKernelInfo *info) {
    (void) api;
    (void) info;
    return (void *) op;
}

static void compute_v1(void *kernel, OrtKernelContext *context) {
    OrtStatus *status = compute(kernel, context);
    if (status != NULL) ort->ReleaseStatus(status);   /* no way to report it here; V2 is what 1.23 calls */
}

static const char *op_name(const OrtCustomOp *op) { return fused(op)->name; }

static const char *provider(const OrtCustomOp *op) {
    (void) op;
    return "CPUExecutionProvider";
}

static ONNXTensorElementDataType float_type(const OrtCustomOp *op, size_t index) {
    (void) op;
    (void) index;
    return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
}

static size_t input_count(const OrtCustomOp *op) { return fused(op)->inputs; }

static size_t output_count(const OrtCustomOp *op) { return fused(op)->outputs; }

static OrtCustomOpInputOutputCharacteristic required(const OrtCustomOp *op, size_t index) {
    (void) op;
    (void) index;
    return INPUT_OUTPUT_REQUIRED;
}

/*
 * Output shapes for ONNX Runtime's graph-level inference. A shape handed back must name every axis: a size, or a
 * symbol (ONNX Runtime reads an axis with neither as a size of -1, and a missing shape as rank 0). An axis the
 * input knows neither way gets a fresh symbol of its own, so nothing equates it with another unknown axis.
 */
static OrtStatus *set_output_shape(OrtShapeInferContext *context, size_t output, const int64_t *dims,
                                   const char *const *symbols, size_t rank) {
    static _Atomic unsigned long fresh;
    char names[8][32];
    const char *params[8];
    for (size_t i = 0; i < rank; i++) {
        params[i] = symbols[i];
        if (dims[i] < 0 && (symbols[i] == NULL || symbols[i][0] == '\0')) {
            snprintf(names[i], sizeof names[i], "rlhf_ops_axis_%lu", ++fresh);
            params[i] = names[i];
        } else if (symbols[i] == NULL) {
            params[i] = "";
        }
    }
    OrtTensorTypeAndShapeInfo *info;
    CHECK(ort->CreateTensorTypeAndShapeInfo(&info));
    OrtStatus *status = ort->SetTensorElementType(info, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT);
    if (status == NULL) status = ort->SetDimensions(info, dims, rank);
    if (status == NULL) status = ort->SetSymbolicDimensions(info, params, rank);
    if (status == NULL) status = ort->ShapeInferContext_SetOutputTypeShape(context, output, info);
    ort->ReleaseTensorTypeAndShapeInfo(info);   /* this one is ours; the context copies what it keeps */
    return status;
}

static OrtStatus *infer_shapes(const OrtCustomOp *op, OrtShapeInferContext *context) {
    for (size_t i = 0; i < fused(op)->outputs; i++) {
        ShapeOf shape = fused(op)->shapes[i];
        OrtTensorTypeAndShapeInfo *info;   /* owned by the context, which frees it */
        CHECK(ort->ShapeInferContext_GetInputTypeShape(context, shape.source, &info));
        size_t rank, out_rank = 0;
        int64_t dims[8], out_dims[8];
        const char *symbols[8], *out_symbols[8];
        CHECK(ort->GetDimensionsCount(info, &rank));
        if (rank > 8 || rank == 0) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "rlhf_ops: an operand's rank is outside 1..8");
        CHECK(ort->GetDimensions(info, dims, rank));
        CHECK(ort->GetSymbolicDimensions(info, symbols, rank));
        for (size_t a = 0; shape.axes == NULL ? a < rank : shape.axes[a] != END; a++) {
            size_t axis = shape.axes == NULL ? a : shape.axes[a] == LAST ? rank - 1 : (size_t) shape.axes[a];
            if (axis >= rank) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "rlhf_ops: an operand has too few axes");
            out_dims[out_rank] = dims[axis];
            out_symbols[out_rank++] = symbols[axis];
        }
        CHECK(set_output_shape(context, i, out_dims, out_symbols, out_rank));
    }
    return NULL;
}

static OrtMemType default_memory(const OrtCustomOp *op, size_t index) {
    (void) op;
    (void) index;
    return OrtMemTypeDefault;
}

static int one(const OrtCustomOp *op) {
    (void) op;
    return 1;
}

static size_t no_pairs(int **inputs, int **outputs) {
    *inputs = NULL;
    *outputs = NULL;
    return 0;
}

static void release_pairs(int *inputs, int *outputs) {
    (void) inputs;
    (void) outputs;
}

static int start_version(const OrtCustomOp *op) {
    (void) op;
    return 1;
}

static int end_version(const OrtCustomOp *op) {
    (void) op;
    return 1;
}

static FusedOp define(const char *name, size_t inputs, size_t outputs, OrtStatus *(*kernel)(void *, OrtKernelContext *),
                      const ShapeOf shapes[3]) {
    FusedOp op = {0};
    op.base.version = ORT_API_VERSION;
    op.base.CreateKernel = create_kernel_v1;
    op.base.KernelCompute = compute_v1;
    op.base.CreateKernelV2 = create_kernel;
    op.base.KernelComputeV2 = compute;
    op.base.KernelDestroy = destroy_kernel;
    op.base.GetName = op_name;
    op.base.GetExecutionProviderType = provider;
    op.base.GetInputType = float_type;
    op.base.GetInputTypeCount = input_count;
    op.base.GetOutputType = float_type;
    op.base.GetOutputTypeCount = output_count;
    op.base.GetInputCharacteristic = required;
    op.base.GetOutputCharacteristic = required;
    /* ONNX Runtime calls every member up to this header's version: none may be left NULL */
    op.base.GetInputMemoryType = default_memory;
    op.base.GetVariadicInputMinArity = one;
    op.base.GetVariadicInputHomogeneity = one;
    op.base.GetVariadicOutputMinArity = one;
    op.base.GetVariadicOutputHomogeneity = one;
    op.base.GetMayInplace = no_pairs;
    op.base.ReleaseMayInplace = release_pairs;
    op.base.GetAliasMap = no_pairs;
    op.base.ReleaseAliasMap = release_pairs;
    op.base.InferOutputShapeFn = infer_shapes;
    op.base.GetStartVersion = start_version;
    op.base.GetEndVersion = end_version;
    op.name = name;
    op.inputs = inputs;
    op.outputs = outputs;
    for (size_t i = 0; i < outputs; i++) op.shapes[i] = shapes[i];
    op.compute = kernel;
    return op;
}

static FusedOp adamw_op, gelu_op, gelu_grad_op, layer_norm_grad_op, sum_rows_op, attention_op, attention_grad_op,
        grouped_op, grouped_grad_op, swiglu_op, swiglu_grad_op;

/* CausalAttention's outputs from qkv (B, T, 3, H, D): out (B, T, H, D) and probs (B, H, T, T). */
static const int ATTENTION_OUT[] = {0, 1, 3, 4, END}, ATTENTION_PROBS[] = {0, 3, 1, 1, END};
/* GroupedAttention's probs from q (B, T, K, G, D): (B, K, G, T, T). */
static const int GROUPED_PROBS[] = {0, 2, 3, 1, 1, END};
/* SwiGlu's output from gu (B, T, 2, I): (B, T, I). */
static const int SWIGLU_OUT[] = {0, 1, 3, END};
static OrtCustomOpDomain *domain;
static OrtStatus *domain_status;
static pthread_once_t domain_once = PTHREAD_ONCE_INIT;

static void make_domain(void) {
    adamw_op = define("AdamWStep", 11, 3, adamw_compute, (ShapeOf[3]) {{0, NULL}, {0, NULL}, {0, NULL}});
    gelu_op = define("GeluTanh", 1, 1, gelu_compute, (ShapeOf[3]) {{0, NULL}});
    gelu_grad_op = define("GeluTanhGrad", 2, 1, gelu_grad_compute, (ShapeOf[3]) {{0, NULL}});
    layer_norm_grad_op = define("LayerNormGrad", 5, 3, layer_norm_grad_compute, (ShapeOf[3]) {{1, NULL}, {2, NULL}, {2, NULL}});
    sum_rows_op = define("SumRows", 1, 1, sum_rows_compute, (ShapeOf[3]) {{0, LAST_AXIS}});
    attention_op = define("CausalAttention", 2, 2, causal_attention_compute,
                          (ShapeOf[3]) {{0, ATTENTION_OUT}, {0, ATTENTION_PROBS}});
    attention_grad_op = define("CausalAttentionGrad", 4, 1, causal_attention_grad_compute, (ShapeOf[3]) {{1, NULL}});
    grouped_op = define("GroupedAttention", 4, 2, grouped_attention_compute, (ShapeOf[3]) {{0, NULL}, {0, GROUPED_PROBS}});
    grouped_grad_op = define("GroupedAttentionGrad", 6, 3, grouped_attention_grad_compute,
                             (ShapeOf[3]) {{1, NULL}, {2, NULL}, {3, NULL}});
    swiglu_op = define("SwiGlu", 1, 1, swiglu_compute, (ShapeOf[3]) {{0, SWIGLU_OUT}});
    swiglu_grad_op = define("SwiGluGrad", 2, 1, swiglu_grad_compute, (ShapeOf[3]) {{1, NULL}});
    domain_status = ort->CreateCustomOpDomain("dev.rlhf", &domain);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &adamw_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &gelu_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &gelu_grad_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &layer_norm_grad_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &sum_rows_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &attention_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &attention_grad_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &grouped_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &grouped_grad_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &swiglu_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &swiglu_grad_op.base);
}

/*
 * Called by SessionOptions.registerCustomOpLibrary; the library's only exported symbol (built with
 * -fvisibility=hidden). One domain serves every session (it is never freed).
 */
__attribute__((visibility("default"))) OrtStatus *ORT_API_CALL RegisterCustomOps(OrtSessionOptions *options, const OrtApiBase *api_base) {
    ort = api_base->GetApi(ORT_API_VERSION);
    if (ort == NULL) return NULL;   /* a runtime older than this header: sessions then name the unknown operator */
    pthread_once(&domain_once, make_domain);
    if (domain_status != NULL) return domain_status;
    return ort->AddCustomOpDomain(options, domain);
}
