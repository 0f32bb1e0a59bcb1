/*
 * The attention operators of librlhf_ops, as ONNX Runtime calls them (the arithmetic is causal_attention.c):
 *
 *   CausalAttention(qkv, mask) -> (out, probs)              GPT-2: one linear layer's packed projections
 *       qkv   (B, T, 3, H, D)  queries, keys and values
 *       out   (B, T, H, D)     softmax(q k^T / sqrt(D) + mask) v, per head
 *       probs (B, H, T, T)     the softmax, kept for the backward pass
 *   CausalAttentionGrad(dout, qkv, probs, mask) -> dqkv (B, T, 3, H, D)
 *
 *   GroupedAttention(q, k, v, mask) -> (out, probs)         Llama: grouped-query heads
 *       q     (B, T, K, G, D)  G query heads per key/value head
 *       k, v  (B, T, K, D)
 *       out   (B, T, K, G, D)
 *       probs (B, K, G, T, T)
 *   GroupedAttentionGrad(dout, q, k, v, probs, mask) -> (dq, dk, dv)
 *
 * mask is (T, T) for the batch or (B, 1, T, T) per sequence: added to the scores, 0 where query i may see
 * key j, -1e9 where not. D must be a multiple of 16.
 */
#include <math.h>
#include <stdlib.h>
#include "causal_attention.h"

static OrtStatus *invalid(const char *message) { return ort->CreateStatus(ORT_INVALID_ARGUMENT, message); }

/* The (T, T) or (B, 1, T, T) mask at input `index`, for a's batch and tokens. */
static OrtStatus *read_mask(OrtKernelContext *context, size_t index, Attention *a, const char *name) {
    Input mask;
    CHECK(input(context, index, &mask));
    int64_t T = (int64_t) a->tokens;
    int shared = mask.rank == 2;
    int per_sequence = mask.rank == 4 && mask.dims[0] == (int64_t) a->batch && mask.dims[1] == 1;
    if (!(shared || per_sequence) || mask.dims[mask.rank - 2] != T || mask.dims[mask.rank - 1] != T) return invalid(name);
    a->mask = mask.data;
    a->mask_batch = shared ? 0 : a->tokens * a->tokens;
    return NULL;
}

/* What follows from a's sizes once they are read. */
static void derive(Attention *a) {
    a->padded = attention_padded(a->tokens);
    a->scale = 1.0f / sqrtf((float) a->size);
}

/* A view of a (B, T, heads, D) tensor's rows, heads in order. */
static View per_token(const float *data, const Attention *a, size_t heads) {
    size_t row = heads * a->size;
    return (View) {.data = (float *) data, .batch = a->tokens * row, .head = a->size, .row = row};
}

/* The three parts of packed projections (B, T, 3, H, D): rows 3 H D floats apart. */
static void packed_views(const float *data, const Attention *a, View *q, View *k, View *v) {
    size_t hd = a->heads * a->size;
    *q = (View) {.data = (float *) data, .batch = a->tokens * 3 * hd, .head = a->size, .row = 3 * hd};
    *k = *q;
    k->data += hd;
    *v = *q;
    v->data += 2 * hd;
}

static OrtStatus *run(OrtKernelContext *context, void (*task)(void *, size_t), size_t tasks, Attention *a,
                      const char *name) {
    if (tasks * a->tokens == 0) return NULL;
    a->span = attention_spans(a->mask, a->mask_batch == 0 ? 1 : a->batch, a->tokens);
    if (a->span == NULL) return ort->CreateStatus(ORT_FAIL, name);
    OrtStatus *status = parallel_tasks(context, task, tasks, a);
    free(a->span);
    if (status == NULL && a->out_of_memory) status = ort->CreateStatus(ORT_FAIL, name);
    return status;
}

/* Makes outputs 0 (out, a (B, T, heads) layout) and 1 (probs) with the given shapes, and runs the forward pass. */
static OrtStatus *forward(OrtKernelContext *context, Attention *a, const int64_t *out_dims, size_t out_rank,
                          const int64_t *probs_dims, size_t probs_rank, const char *name) {
    float *out;
    CHECK(output(context, 0, out_dims, out_rank, &out));
    CHECK(output(context, 1, probs_dims, probs_rank, &a->probs));
    a->out = per_token(out, a, a->heads);
    return run(context, attention_forward_task, a->batch * a->heads, a, name);
}

/* Reads the backward pass's dout (B, T, heads, D) and probs (B, heads, T, T) at the given inputs into a. */
static OrtStatus *read_upstream(OrtKernelContext *context, size_t dout_index, size_t probs_index, Attention *a,
                                const char *name) {
    Input dout, probs;
    CHECK(input(context, dout_index, &dout));
    CHECK(input(context, probs_index, &probs));
    if (dout.count != a->batch * a->tokens * a->heads * a->size || probs.count != a->batch * a->heads * a->tokens * a->tokens) {
        return invalid(name);
    }
    a->dout = per_token(dout.data, a, a->heads);
    a->probs_in = probs.data;
    return NULL;
}

/* Reads packed projections (B, T, 3, H, D) at input `index` into a's shape, and their views. */
static OrtStatus *read_packed(OrtKernelContext *context, size_t index, Attention *a, const char *name) {
    Input qkv;
    CHECK(input(context, index, &qkv));
    if (qkv.rank != 5 || qkv.dims[2] != 3 || qkv.dims[4] % 16 != 0) return invalid(name);
    a->batch = (size_t) qkv.dims[0];
    a->tokens = (size_t) qkv.dims[1];
    a->heads = a->kv_heads = (size_t) qkv.dims[3];
    a->size = (size_t) qkv.dims[4];
    derive(a);
    packed_views(qkv.data, a, &a->q, &a->k, &a->v);
    return NULL;
}

#define PACKED_SHAPES "qkv (B, T, 3, H, D) with D a multiple of 16, and a (T, T) or (B, 1, T, T) mask"

OrtStatus *causal_attention_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    const char *name = "CausalAttention: needs " PACKED_SHAPES;
    Attention a = {0};
    CHECK(read_packed(context, 0, &a, name));
    CHECK(read_mask(context, 1, &a, name));
    int64_t out_dims[4] = {(int64_t) a.batch, (int64_t) a.tokens, (int64_t) a.heads, (int64_t) a.size};
    int64_t probs_dims[4] = {(int64_t) a.batch, (int64_t) a.heads, (int64_t) a.tokens, (int64_t) a.tokens};
    return forward(context, &a, out_dims, 4, probs_dims, 4, "CausalAttention: out of memory");
}

OrtStatus *causal_attention_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    const char *name = "CausalAttentionGrad: needs " PACKED_SHAPES;
    Attention a = {0};
    CHECK(read_packed(context, 1, &a, name));
    CHECK(read_mask(context, 3, &a, name));
    CHECK(read_upstream(context, 0, 2, &a, "CausalAttentionGrad: dout or probs does not match qkv"));
    int64_t dims[5] = {(int64_t) a.batch, (int64_t) a.tokens, 3, (int64_t) a.heads, (int64_t) a.size};
    float *dqkv;
    CHECK(output(context, 0, dims, 5, &dqkv));
    packed_views(dqkv, &a, &a.dq, &a.dk, &a.dv);
    return run(context, attention_backward_task, a.batch * a.kv_heads, &a, "CausalAttentionGrad: out of memory");
}

/* Reads q (B, T, K, G, D), k and v (B, T, K, D) at inputs first .. first + 2 into a's shape, and their views. */
static OrtStatus *read_grouped(OrtKernelContext *context, size_t first, Attention *a, Input *q, Input *k, Input *v,
                               const char *name) {
    CHECK(input(context, first, q));
    CHECK(input(context, first + 1, k));
    CHECK(input(context, first + 2, v));
    if (q->rank != 5 || k->rank != 4 || v->rank != 4 || q->dims[4] % 16 != 0) return invalid(name);
    for (size_t axis = 0; axis < 4; axis++) {
        int64_t want = axis < 3 ? q->dims[axis] : q->dims[4];
        if (k->dims[axis] != want || v->dims[axis] != want) return invalid(name);
    }
    a->batch = (size_t) q->dims[0];
    a->tokens = (size_t) q->dims[1];
    a->kv_heads = (size_t) q->dims[2];
    a->heads = a->kv_heads * (size_t) q->dims[3];
    a->size = (size_t) q->dims[4];
    if (a->kv_heads == 0) return invalid(name);
    derive(a);
    a->q = per_token(q->data, a, a->heads);
    a->k = per_token(k->data, a, a->kv_heads);
    a->v = per_token(v->data, a, a->kv_heads);
    return NULL;
}

#define GROUPED_SHAPES "q (B, T, K, G, D), k and v (B, T, K, D) with D a multiple of 16, and a (T, T) or (B, 1, T, T) mask"

OrtStatus *grouped_attention_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    const char *name = "GroupedAttention: needs " GROUPED_SHAPES;
    Attention a = {0};
    Input q, k, v;
    CHECK(read_grouped(context, 0, &a, &q, &k, &v, name));
    CHECK(read_mask(context, 3, &a, name));
    int64_t probs_dims[5] = {q.dims[0], q.dims[2], q.dims[3], q.dims[1], q.dims[1]};
    return forward(context, &a, q.dims, 5, probs_dims, 5, "GroupedAttention: out of memory");
}

OrtStatus *grouped_attention_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    const char *name = "GroupedAttentionGrad: needs " GROUPED_SHAPES;
    Attention a = {0};
    Input q, k, v;
    CHECK(read_grouped(context, 1, &a, &q, &k, &v, name));
    CHECK(read_mask(context, 5, &a, name));
    CHECK(read_upstream(context, 0, 4, &a, "GroupedAttentionGrad: dout or probs does not match q"));
    float *dq, *dk, *dv;
    CHECK(output(context, 0, q.dims, 5, &dq));
    CHECK(output(context, 1, k.dims, 4, &dk));
    CHECK(output(context, 2, v.dims, 4, &dv));
    a.dq = per_token(dq, &a, a.heads);
    a.dk = per_token(dk, &a, a.kv_heads);
    a.dv = per_token(dv, &a, a.kv_heads);
    return run(context, attention_backward_task, a.batch * a.kv_heads, &a, "GroupedAttentionGrad: out of memory");
}
