/*
 * What the kernel files of librlhf_ops share: the ONNX Runtime API, operand access, the intra-op
 * thread pool, and a vectorisable e^x. Everything here is internal to the library (built with
 * -fvisibility=hidden); its only exported symbol is RegisterCustomOps in rlhf_ops.c.
 */
#ifndef RLHF_OPS_H
#define RLHF_OPS_H

#include <stddef.h>
#include <stdint.h>
#include "onnxruntime_c_api.h"

extern const OrtApi *ort;

#define CHECK(expr)                                   \
    do {                                              \
        OrtStatus *status_ = (expr);                  \
        if (status_ != NULL) return status_;          \
    } while (0)

/* A float32 operand: its data and shape. */
typedef struct {
    const float *data;
    int64_t dims[8];
    size_t rank, count;
} Input;

OrtStatus *input(OrtKernelContext *context, size_t index, Input *in);

/* Output `index` with the given shape, and its data. */
OrtStatus *output(OrtKernelContext *context, size_t index, const int64_t *dims, size_t rank, float **data);

/* Runs task(args, 0 .. tasks - 1) on ONNX Runtime's intra-op threads (a single task on the caller's). */
OrtStatus *parallel_tasks(OrtKernelContext *context, void (*task)(void *, size_t), size_t tasks, void *args);

/*
 * e^x in operations the compiler vectorises (libm's expf is a call per element):
 * e^x = 2^n e^r with n = round(x / ln 2), |r| <= ln 2 / 2, e^r by its Taylor polynomial to degree 7
 * (truncation below 3e-9, so the error is float32 rounding, a few ulp). Inputs are clamped to the
 * range where e^x is a normal float32.
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

/* The attention operators (attention_ops.c). */
OrtStatus *causal_attention_compute(void *kernel, OrtKernelContext *context);
OrtStatus *causal_attention_grad_compute(void *kernel, OrtKernelContext *context);
OrtStatus *grouped_attention_compute(void *kernel, OrtKernelContext *context);
OrtStatus *grouped_attention_grad_compute(void *kernel, OrtKernelContext *context);

/* The SwiGLU operators (swiglu.c). */
OrtStatus *swiglu_compute(void *kernel, OrtKernelContext *context);
OrtStatus *swiglu_grad_compute(void *kernel, OrtKernelContext *context);

#endif
