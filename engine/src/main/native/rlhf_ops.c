/*
 * Fused elementwise kernels for training graphs on ONNX Runtime's CPU provider (domain "dev.rlhf").
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
 *
 * Only the C API of onnxruntime_c_api.h is used; the build fetches that header (build.sh).
 */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "onnxruntime_c_api.h"

static const OrtApi *ort;

/* Elements per ParallelFor task: large enough that scheduling costs nothing next to the memory traffic. */
#define CHUNK 16384

#define CHECK(expr)                                   \
    do {                                              \
        OrtStatus *status_ = (expr);                  \
        if (status_ != NULL) return status_;          \
    } while (0)

/* ---- kernels over [begin, end) -------------------------------------------------------------- */

typedef struct {
    const float *p, *g, *m, *v;
    float *p_out, *m_out, *v_out;
    float beta1, first_weight, beta2, second_weight, scaled_epsilon, decay, step_size;
    size_t n;
} AdamWArgs;

__attribute__((target_clones("avx512f", "avx2", "default")))
static void adamw_range(const AdamWArgs *a, size_t begin, size_t end) {
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

/*
 * e^x for the sigmoid, in operations the compiler vectorises (libm's expf is a call per element):
 * e^x = 2^n e^r with n = round(x / ln 2), |r| <= ln 2 / 2, e^r by its Taylor polynomial to degree 7
 * (truncation below 3e-9, so the error is float32 rounding, a few ulp). Inputs are clamped to the
 * range where e^x is a normal float32, which the sigmoid maps to 0 or 1 anyway.
 */
static inline float exp_approx(float x) {
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    float n = __builtin_rintf(x * 1.44269504088896341f);
    float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;   /* ln 2 in two parts: r exact to float32 */
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    union { int32_t bits; float value; } scale = {.bits = ((int32_t) n + 127) << 23};
    return p * scale.value;
}

/* u = K1 x + K3 x^3, written as x (x^2 K3 + K1) like the unfused graph */
#define K1 1.5957691216057308f   /* 2 sqrt(2/pi) */
#define K3 0.0713548162726009f   /* 2 sqrt(2/pi) 0.044715 */

typedef struct {
    const float *x, *dy;
    float *out;
    size_t n;
} GeluArgs;

__attribute__((target_clones("avx512f", "avx2", "default")))
static void gelu_range(const GeluArgs *a, size_t begin, size_t end) {
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
static void gelu_grad_range(const GeluArgs *a, size_t begin, size_t end) {
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

static void adamw_task(void *args, size_t task) {
    const AdamWArgs *a = args;
    size_t begin = task * CHUNK, end = begin + CHUNK < a->n ? begin + CHUNK : a->n;
    adamw_range(a, begin, end);
}

static void gelu_task(void *args, size_t task) {
    const GeluArgs *a = args;
    size_t begin = task * CHUNK, end = begin + CHUNK < a->n ? begin + CHUNK : a->n;
    gelu_range(a, begin, end);
}

static void gelu_grad_task(void *args, size_t task) {
    const GeluArgs *a = args;
    size_t begin = task * CHUNK, end = begin + CHUNK < a->n ? begin + CHUNK : a->n;
    gelu_grad_range(a, begin, end);
}

static OrtStatus *parallel(OrtKernelContext *context, void (*task)(void *, size_t), size_t n, void *args) {
    size_t tasks = (n + CHUNK - 1) / CHUNK;
    if (tasks <= 1) {
        if (n > 0) task(args, 0);
        return NULL;
    }
    return ort->KernelContext_ParallelFor(context, task, tasks, 0, args);
}

/* ---- tensors ---------------------------------------------------------------------------------- */

typedef struct {
    const float *data;
    int64_t dims[8];
    size_t rank, count;
} Input;

static OrtStatus *input(OrtKernelContext *context, size_t index, Input *in) {
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

static OrtStatus *output_like(OrtKernelContext *context, size_t index, const Input *like, float **data) {
    OrtValue *value;
    CHECK(ort->KernelContext_GetOutput(context, index, like->dims, like->rank, &value));
    return ort->GetTensorMutableData(value, (void **) data);
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
    AdamWArgs a = {.p = p.data, .g = g.data, .m = m.data, .v = v.data, .n = p.count};
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
    return parallel(context, adamw_task, a.n, &a);
}

static OrtStatus *gelu_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input x;
    CHECK(input(context, 0, &x));
    GeluArgs a = {.x = x.data, .n = x.count};
    CHECK(output_like(context, 0, &x, &a.out));
    return parallel(context, gelu_task, a.n, &a);
}

static OrtStatus *gelu_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input x, dy;
    CHECK(input(context, 0, &x));
    CHECK(input(context, 1, &dy));
    CHECK(same_shape(&x, &dy, "GeluTanhGrad: dy's shape differs from x's"));
    GeluArgs a = {.x = x.data, .dy = dy.data, .n = x.count};
    CHECK(output_like(context, 0, &x, &a.out));
    return parallel(context, gelu_grad_task, a.n, &a);
}

/* ---- operator descriptions -------------------------------------------------------------------- */

typedef struct {
    OrtCustomOp base;   /* first member: ONNX Runtime hands back a pointer to it */
    const char *name;
    size_t inputs, outputs;
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

/* Every output has the first input's shape. */
static OrtStatus *infer_shapes(const OrtCustomOp *op, OrtShapeInferContext *context) {
    OrtTensorTypeAndShapeInfo *info;
    CHECK(ort->ShapeInferContext_GetInputTypeShape(context, 0, &info));
    OrtStatus *status = NULL;
    for (size_t i = 0; i < fused(op)->outputs && status == NULL; i++) {
        status = ort->ShapeInferContext_SetOutputTypeShape(context, i, info);
    }
    /* not released: the context owns it (ONNX Runtime 1.23 frees it with the context) */
    return status;
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

static FusedOp define(const char *name, size_t inputs, size_t outputs, OrtStatus *(*kernel)(void *, OrtKernelContext *)) {
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
    op.compute = kernel;
    return op;
}

static FusedOp adamw_op, gelu_op, gelu_grad_op;
static OrtCustomOpDomain *domain;
static OrtStatus *domain_status;
static pthread_once_t domain_once = PTHREAD_ONCE_INIT;

static void make_domain(void) {
    adamw_op = define("AdamWStep", 11, 3, adamw_compute);
    gelu_op = define("GeluTanh", 1, 1, gelu_compute);
    gelu_grad_op = define("GeluTanhGrad", 2, 1, gelu_grad_compute);
    domain_status = ort->CreateCustomOpDomain("dev.rlhf", &domain);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &adamw_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &gelu_op.base);
    if (domain_status == NULL) domain_status = ort->CustomOpDomain_Add(domain, &gelu_grad_op.base);
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
