/*
 * SwiGLU, the gated MLP activation of Llama-family models, on the packed output of the gate and up projections
 * (one MatMul computes both):
 *
 *   SwiGlu(gu) -> h            gu (B, T, 2, I): the gate, then up; h (B, T, I) = silu(gate) up, silu(x) = x sigmoid(x)
 *   SwiGluGrad(dh, gu) -> dgu  (B, T, 2, I): dgate = dh up s (1 + gate (1 - s)), s = sigmoid(gate); dup = dh silu(gate)
 *
 * The nodes split the packed tensor (a copy), take the sigmoid, multiply twice, and their backward pass makes
 * six more full passes and concatenates the two halves again; here each is one pass over rows.
 */
#include "rlhf_ops.h"

/* Rows per task: at least this many elements each, so that scheduling costs nothing next to the memory traffic. */
#define TASK_ELEMENTS 16384

typedef struct {
    const float *gu, *dh;
    float *out;
    size_t rows, width, rows_per_task;   /* width: I */
} SwiGluArgs;

__attribute__((target_clones("avx512f", "avx2", "default")))
static void swiglu_rows(const SwiGluArgs *a, size_t begin, size_t end) {
    const size_t width = a->width;
    for (size_t r = begin; r < end; r++) {
        const float *gate = a->gu + r * 2 * width, *up = gate + width;
        float *h = a->out + r * width;
#pragma GCC ivdep
        for (size_t i = 0; i < width; i++) {
            float g = gate[i];
            h[i] = g / (1.0f + exp_approx(-g)) * up[i];
        }
    }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
static void swiglu_grad_rows(const SwiGluArgs *a, size_t begin, size_t end) {
    const size_t width = a->width;
    for (size_t r = begin; r < end; r++) {
        const float *gate = a->gu + r * 2 * width, *up = gate + width, *dh = a->dh + r * width;
        float *dgate = a->out + r * 2 * width, *dup = dgate + width;
#pragma GCC ivdep
        for (size_t i = 0; i < width; i++) {
            float g = gate[i], e = exp_approx(-g), s = 1.0f / (1.0f + e);
            dgate[i] = dh[i] * up[i] * s * (1.0f + g * (e * s));   /* 1 - s as e s: no cancellation for large g */
            dup[i] = dh[i] * (g * s);
        }
    }
}

static void swiglu_task(void *args, size_t task) {
    const SwiGluArgs *a = args;
    size_t begin = task * a->rows_per_task, end = begin + a->rows_per_task < a->rows ? begin + a->rows_per_task : a->rows;
    if (a->dh == NULL) swiglu_rows(a, begin, end); else swiglu_grad_rows(a, begin, end);
}

/* Reads gu (B, T, 2, I) at input `index` into a. */
static OrtStatus *packed(OrtKernelContext *context, size_t index, Input *gu, SwiGluArgs *a, const char *name) {
    CHECK(input(context, index, gu));
    if (gu->rank != 4 || gu->dims[2] != 2) return ort->CreateStatus(ORT_INVALID_ARGUMENT, name);
    a->gu = gu->data;
    a->width = (size_t) gu->dims[3];
    a->rows = (size_t) (gu->dims[0] * gu->dims[1]);
    size_t per_row = 2 * a->width;
    a->rows_per_task = per_row >= TASK_ELEMENTS || per_row == 0 ? 1 : TASK_ELEMENTS / per_row;
    return NULL;
}

static OrtStatus *run(OrtKernelContext *context, SwiGluArgs *a) {
    return parallel_tasks(context, swiglu_task, (a->rows + a->rows_per_task - 1) / a->rows_per_task, a);
}

OrtStatus *swiglu_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input gu;
    SwiGluArgs a = {0};
    CHECK(packed(context, 0, &gu, &a, "SwiGlu: needs gu (B, T, 2, I)"));
    int64_t dims[3] = {gu.dims[0], gu.dims[1], gu.dims[3]};
    CHECK(output(context, 0, dims, 3, &a.out));
    return run(context, &a);
}

OrtStatus *swiglu_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Input dh, gu;
    SwiGluArgs a = {0};
    CHECK(packed(context, 1, &gu, &a, "SwiGluGrad: needs dh (B, T, I) and gu (B, T, 2, I)"));
    CHECK(input(context, 0, &dh));
    if (dh.count != a.rows * a.width) return ort->CreateStatus(ORT_INVALID_ARGUMENT, "SwiGluGrad: dh does not match gu");
    a.dh = dh.data;
    CHECK(output(context, 0, gu.dims, 4, &a.out));
    return run(context, &a);
}
