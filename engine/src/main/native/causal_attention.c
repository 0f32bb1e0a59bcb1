/*
 * Scaled dot-product self-attention under a causal mask, forward and backward, one (batch, head) per task.
 *
 *   CausalAttention(qkv, mask) -> (out, probs)
 *       qkv   (B, T, 3, H, D)  queries, keys and values as one linear layer computes them
 *       mask  (T, T) or (B, 1, T, T)
 *                              added to the scores, 0 where query i may see key j, -1e9 where not; one
 *                              for the batch, or one per sequence (left padding hides its first keys)
 *       out   (B, T, H, D)     softmax(q k^T / sqrt(D) + mask) v, per head
 *       probs (B, H, T, T)     the softmax, kept for the backward pass
 *   CausalAttentionGrad(dout, qkv, probs, mask) -> dqkv (B, T, 3, H, D)
 *
 * ONNX Runtime runs the same computation as ten-odd nodes (head transposes, two batched products, the
 * mask, the softmax) and its backward as twice as many, each a full pass over memory, and multiplies the
 * hidden half of the scores too. Here each head's keys and values stay in cache, scores are computed
 * only up to each query's last visible key (a key whose mask is at or below HIDDEN and that no later key
 * of the row follows visibly contributes an exact 0, as e^(-1e9) does in float32), and the products
 * run on register tiles of four rows by up to 64 columns.
 *
 * Built with -ffp-contract=fast (build.sh): the products use fused multiply-adds. The results match the
 * nodes to float32 rounding, not bit for bit (the engine's tests bound the difference).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rlhf_ops.h"

/* A mask value at or below this hides its key: e^(score + mask - max) is 0 in float32. */
#define HIDDEN (-1e8f)

/* One vector of 16 floats: a zmm register with AVX-512, two ymm with AVX2, four xmm otherwise. */
typedef float vf __attribute__((vector_size(64)));
#define VW 16
#define ROWS 4

static inline vf load(const float *p) {
    vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store(float *p, vf v) { memcpy(p, &v, sizeof v); }

/* Sets n accumulators to 0 (an initializer would make the compiler clear them in memory first). */
static inline void zero(vf *acc, size_t n) {
#pragma GCC unroll 16
    for (size_t i = 0; i < n; i++) acc[i] = (vf){0};
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

typedef struct {
    size_t batch, tokens, heads, size;   /* B, T, H, D */
    size_t padded;                       /* row stride of the per-head buffers (see operands) */
    float scale;                                 /* 1 / sqrt(D) */
    const float *qkv, *mask, *dout, *probs_in;
    size_t mask_batch;   /* floats from one sequence's mask to the next: 0 when they share one */
    float *out, *probs, *dqkv;
    size_t *span;   /* per query row (per sequence when the masks are): keys [0, span) hold everything it sees */
    int out_of_memory;
} Attention;

/* Strides, in floats, of one token's row in qkv and in out. */
static size_t qkv_row(const Attention *a) { return 3 * a->heads * a->size; }
static size_t out_row(const Attention *a) { return a->heads * a->size; }

/* Row r of a tile of `rows` rows, as an offset: the last row stands in for missing ones (their results are dropped). */
static inline size_t tile_row(size_t r, size_t rows, size_t stride) { return (r < rows ? r : rows - 1) * stride; }

/*
 * s[r][0 .. cols) = x[r] . yt[:, 0 .. cols) for the tile's rows r: x is (rows, depth) with row stride xs,
 * yt is (depth, padded), transposed keys or values. cols is a multiple of VW.
 */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void dot_tile(const float *x, size_t xs, size_t rows, const float *yt, size_t padded, size_t depth,
                     size_t cols, float *s) {
    size_t at[ROWS];
    for (size_t r = 0; r < ROWS; r++) at[r] = tile_row(r, rows, xs);
    size_t c = 0;
    for (; c + 2 * VW <= cols; c += 2 * VW) {
        vf acc[ROWS][2];
        zero(&acc[0][0], ROWS * 2);
        for (size_t d = 0; d < depth; d++) {
            vf y0 = load(yt + d * padded + c), y1 = load(yt + d * padded + c + VW);
#pragma GCC unroll 4
            for (size_t r = 0; r < ROWS; r++) {
                float w = x[at[r] + d];
                acc[r][0] += w * y0;
                acc[r][1] += w * y1;
            }
        }
        for (size_t r = 0; r < rows; r++) {
            store(s + r * padded + c, acc[r][0]);
            store(s + r * padded + c + VW, acc[r][1]);
        }
    }
    if (c < cols) {
        vf acc[ROWS];
        zero(acc, ROWS);
        for (size_t d = 0; d < depth; d++) {
            vf y0 = load(yt + d * padded + c);
#pragma GCC unroll 4
            for (size_t r = 0; r < ROWS; r++) acc[r] += x[at[r] + d] * y0;
        }
        for (size_t r = 0; r < rows; r++) store(s + r * padded + c, acc[r]);
    }
}

/*
 * out[r][0 .. depth) = sum over k in [begin, end) of w[at[r] + k * wk] y[k][0 .. depth): a tile of weighted
 * sums of y's rows (row stride ys). With wk = 1 the weights are the tile's rows of a matrix (w k); with wk the
 * matrix's row stride they are its columns (w^T k). depth is a multiple of VW; out has row stride os.
 */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void mix_tile(const float *w, const size_t at[ROWS], size_t wk, size_t begin, size_t end, size_t rows,
                     const float *y, size_t ys, size_t depth, float *out, size_t os) {
    size_t d = 0;
    for (; d + 4 * VW <= depth; d += 4 * VW) {
        vf acc[ROWS][4];
        zero(&acc[0][0], ROWS * 4);
        for (size_t k = begin; k < end; k++) {
            const float *yk = y + k * ys + d, *wrow = w + k * wk;
            vf y0 = load(yk), y1 = load(yk + VW), y2 = load(yk + 2 * VW), y3 = load(yk + 3 * VW);
#pragma GCC unroll 4
            for (size_t r = 0; r < ROWS; r++) {
                float c = wrow[at[r]];
                acc[r][0] += c * y0;
                acc[r][1] += c * y1;
                acc[r][2] += c * y2;
                acc[r][3] += c * y3;
            }
        }
        for (size_t r = 0; r < rows; r++) {
            for (size_t v = 0; v < 4; v++) store(out + r * os + d + v * VW, acc[r][v]);
        }
    }
    for (; d < depth; d += VW) {
        vf acc[ROWS];
        zero(acc, ROWS);
        for (size_t k = begin; k < end; k++) {
            vf y0 = load(y + k * ys + d);
#pragma GCC unroll 4
            for (size_t r = 0; r < ROWS; r++) acc[r] += w[k * wk + at[r]] * y0;
        }
        for (size_t r = 0; r < rows; r++) store(out + r * os + d, acc[r]);
    }
}

/* The product of a tile of w's rows i0 .. i0 + rows (row stride ws) and y's first n rows. */
static void rows_times(const float *w, size_t ws, size_t i0, size_t rows, const float *y, size_t ys, size_t depth,
                       size_t n, float *out, size_t os) {
    size_t at[ROWS];
    for (size_t r = 0; r < ROWS; r++) at[r] = i0 * ws + tile_row(r, rows, ws);
    mix_tile(w, at, 1, 0, n, rows, y, ys, depth, out, os);
}

/*
 * The transposed product for w's columns j0 .. j0 + rows (row stride ws): the sum over y's rows i in
 * [first, count) of w[i][j] y[i]; rows before `first` hold only zeros in those columns (their spans end before j0).
 */
static void columns_times(const float *w, size_t ws, size_t j0, size_t rows, size_t first, size_t count,
                          const float *y, size_t ys, size_t depth, float *out, size_t os) {
    size_t at[ROWS];
    for (size_t r = 0; r < ROWS; r++) at[r] = j0 + tile_row(r, rows, 1);
    mix_tile(w, at, ws, first, count, rows, y, ys, depth, out, os);
}

/* yt (depth, padded) = y (tokens, depth; row stride ys) transposed, zero past the last token. */
static void transpose_into(const float *y, size_t ys, size_t tokens, size_t depth, size_t padded, float *yt) {
    for (size_t j = 0; j < tokens; j++) {
        for (size_t d = 0; d < depth; d++) yt[d * padded + j] = y[j * ys + d];
    }
    for (size_t d = 0; d < depth; d++) {
        for (size_t j = tokens; j < padded; j++) yt[d * padded + j] = 0.0f;
    }
}

/* The largest span among a tile's rows: the keys any of them sees. */
static size_t tile_span(const size_t *span, size_t rows) {
    size_t n = 0;
    for (size_t r = 0; r < rows; r++) n = span[r] > n ? span[r] : n;
    return n;
}

/* p[0 .. tokens) = softmax(s[0 .. n) scale + mask[0 .. n)), and 0 past n; s is overwritten. */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void softmax_row(float *s, const float *mask, size_t n, float scale, float *p, size_t tokens) {
    float max = -INFINITY;
#pragma omp simd reduction(max : max)
    for (size_t j = 0; j < n; j++) {
        float x = s[j] * scale + mask[j];
        s[j] = x;
        max = x > max ? x : max;
    }
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (size_t j = 0; j < n; j++) {
        float x = s[j] - max;
        float e = x < -87.0f ? 0.0f : exp_approx(x);   /* hidden keys give an exact 0, like expf */
        s[j] = e;
        sum += e;
    }
    float inverse = 1.0f / sum;
#pragma GCC ivdep
    for (size_t j = 0; j < n; j++) p[j] = s[j] * inverse;
    for (size_t j = n; j < tokens; j++) p[j] = 0.0f;
}

/*
 * ds[0 .. padded) = p (dp - p . dp) scale over the row's span, 0 past it: the softmax's backward pass and the
 * score scale, with dp = ds on entry.
 */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void softmax_grad_row(float *ds, const float *p, size_t n, float scale, size_t padded) {
    float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
    for (size_t j = 0; j < n; j++) dot += p[j] * ds[j];
#pragma GCC ivdep
    for (size_t j = 0; j < n; j++) ds[j] = p[j] * (ds[j] - dot) * scale;
    for (size_t j = n; j < padded; j++) ds[j] = 0.0f;
}

/* The spans of sequence b's query rows. */
static const size_t *spans_of(const Attention *a, size_t b) {
    return a->span + (a->mask_batch == 0 ? 0 : b * a->tokens);
}

static void forward_task(void *args, size_t task) {
    Attention *a = args;
    const size_t T = a->tokens, D = a->size, Tp = a->padded, row = qkv_row(a), orow = out_row(a);
    const size_t b = task / a->heads, h = task % a->heads;
    float *kt = malloc((D * Tp + ROWS * Tp) * sizeof(float));
    if (kt == NULL) {
        a->out_of_memory = 1;
        return;
    }
    float *s = kt + D * Tp;
    const float *q = a->qkv + b * T * row + h * D, *k = q + a->heads * D, *v = q + 2 * a->heads * D;
    float *p = a->probs + task * T * T, *out = a->out + b * T * orow + h * D;
    const float *mask = a->mask + b * a->mask_batch;
    const size_t *span = spans_of(a, b);
    transpose_into(k, row, T, D, Tp, kt);
    for (size_t i0 = 0; i0 < T; i0 += ROWS) {
        size_t rows = min_size(ROWS, T - i0), n = tile_span(span + i0, rows);
        dot_tile(q + i0 * row, row, rows, kt, Tp, D, round_up(n, VW), s);
        for (size_t r = 0; r < rows; r++) {
            size_t i = i0 + r;
            softmax_row(s + r * Tp, mask + i * T, span[i], a->scale, p + i * T, T);
        }
        rows_times(p, T, i0, rows, v, row, D, n, out + i0 * orow, orow);
    }
    free(kt);
}

static void backward_task(void *args, size_t task) {
    Attention *a = args;
    const size_t T = a->tokens, D = a->size, Tp = a->padded, row = qkv_row(a), orow = out_row(a);
    const size_t b = task / a->heads, h = task % a->heads;
    float *vt = malloc((D * Tp + T * Tp) * sizeof(float));
    if (vt == NULL) {
        a->out_of_memory = 1;
        return;
    }
    float *ds = vt + D * Tp;   /* (T, Tp): dL/d(q k^T), the scale included */
    const float *q = a->qkv + b * T * row + h * D, *k = q + a->heads * D, *v = q + 2 * a->heads * D;
    const float *p = a->probs_in + task * T * T, *dout = a->dout + b * T * orow + h * D;
    float *dq = a->dqkv + b * T * row + h * D, *dk = dq + a->heads * D, *dv = dq + 2 * a->heads * D;
    const size_t *span = spans_of(a, b);
    transpose_into(v, row, T, D, Tp, vt);
    for (size_t i0 = 0; i0 < T; i0 += ROWS) {
        size_t rows = min_size(ROWS, T - i0), n = tile_span(span + i0, rows);
        dot_tile(dout + i0 * orow, orow, rows, vt, Tp, D, round_up(n, VW), ds + i0 * Tp);   /* dp = dout v^T */
        for (size_t r = 0; r < rows; r++) {
            size_t i = i0 + r;
            softmax_grad_row(ds + i * Tp, p + i * T, span[i], a->scale, Tp);
        }
        rows_times(ds, Tp, i0, rows, k, row, D, n, dq + i0 * row, row);                        /* dq = ds k */
    }
    for (size_t j0 = 0, first = 0; j0 < T; j0 += ROWS) {
        size_t rows = min_size(ROWS, T - j0);
        while (first < T && span[first] <= j0) first++;   /* spans only shrink the set of rows reaching j0 */
        columns_times(ds, Tp, j0, rows, first, T, q, row, D, dk + j0 * row, row);             /* dk = ds^T q */
        columns_times(p, T, j0, rows, first, T, dout, orow, D, dv + j0 * row, row);          /* dv = p^T dout */
    }
    free(vt);
}

/*
 * Each query row's span, for each of `masks` (T, T) masks: one past its last key with a mask above HIDDEN
 * (all keys if it sees none, as the nodes' softmax then spreads over all of them).
 */
static size_t *spans(const float *mask, size_t masks, size_t tokens) {
    size_t *span = malloc((masks * tokens + 1) * sizeof(size_t));
    if (span == NULL) return NULL;
    for (size_t i = 0; i < masks * tokens; i++) {
        size_t n = tokens;
        while (n > 0 && mask[i * tokens + n - 1] <= HIDDEN) n--;
        span[i] = n == 0 ? tokens : n;
    }
    return span;
}

/* Reads and checks qkv (B, T, 3, H, D) and mask (T, T) or (B, 1, T, T) into a. */
static OrtStatus *operands(OrtKernelContext *context, size_t qkv_index, const char *name, Attention *a) {
    Input qkv, mask;
    CHECK(input(context, qkv_index, &qkv));
    CHECK(input(context, qkv_index == 0 ? 1 : 3, &mask));
    if (qkv.rank != 5 || qkv.dims[2] != 3 || qkv.dims[4] % VW != 0) {
        return ort->CreateStatus(ORT_INVALID_ARGUMENT, name);
    }
    a->batch = (size_t) qkv.dims[0];
    a->tokens = (size_t) qkv.dims[1];
    a->heads = (size_t) qkv.dims[3];
    a->size = (size_t) qkv.dims[4];
    int64_t T = qkv.dims[1];
    int shared = mask.rank == 2, per_sequence = mask.rank == 4 && mask.dims[0] == qkv.dims[0] && mask.dims[1] == 1;
    if (!(shared || per_sequence) || mask.dims[mask.rank - 2] != T || mask.dims[mask.rank - 1] != T) {
        return ort->CreateStatus(ORT_INVALID_ARGUMENT, name);
    }
    a->mask_batch = shared ? 0 : (size_t) (T * T);
    /* T rounded up to whole vectors, and one more: rows 2^k floats apart would share a few cache sets,
       and the transposes and column reads would evict each other */
    a->padded = round_up(a->tokens, VW) + VW;
    a->scale = 1.0f / sqrtf((float) a->size);
    a->qkv = qkv.data;
    a->mask = mask.data;
    return NULL;
}

static OrtStatus *run(OrtKernelContext *context, void (*task)(void *, size_t), Attention *a, const char *name) {
    if (a->batch * a->heads * a->tokens == 0) return NULL;
    a->span = spans(a->mask, a->mask_batch == 0 ? 1 : a->batch, a->tokens);
    if (a->span == NULL) return ort->CreateStatus(ORT_FAIL, name);
    OrtStatus *status = parallel_tasks(context, task, a->batch * a->heads, a);
    free(a->span);
    if (status == NULL && a->out_of_memory) status = ort->CreateStatus(ORT_FAIL, name);
    return status;
}

OrtStatus *causal_attention_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Attention a = {0};
    CHECK(operands(context, 0, "CausalAttention: needs qkv (B, T, 3, H, D) with D a multiple of 16 and a (T, T) or (B, 1, T, T) mask", &a));
    int64_t out_dims[4] = {(int64_t) a.batch, (int64_t) a.tokens, (int64_t) a.heads, (int64_t) a.size};
    int64_t probs_dims[4] = {(int64_t) a.batch, (int64_t) a.heads, (int64_t) a.tokens, (int64_t) a.tokens};
    CHECK(output(context, 0, out_dims, 4, &a.out));
    CHECK(output(context, 1, probs_dims, 4, &a.probs));
    return run(context, forward_task, &a, "CausalAttention: out of memory");
}

OrtStatus *causal_attention_grad_compute(void *kernel, OrtKernelContext *context) {
    (void) kernel;
    Attention a = {0};
    CHECK(operands(context, 1, "CausalAttentionGrad: needs qkv (B, T, 3, H, D) with D a multiple of 16 and a (T, T) or (B, 1, T, T) mask", &a));
    Input dout, probs;
    CHECK(input(context, 0, &dout));
    CHECK(input(context, 2, &probs));
    if (dout.count != a.batch * a.tokens * a.heads * a.size || probs.count != a.batch * a.heads * a.tokens * a.tokens) {
        return ort->CreateStatus(ORT_INVALID_ARGUMENT, "CausalAttentionGrad: dout or probs does not match qkv");
    }
    a.dout = dout.data;
    a.probs_in = probs.data;
    int64_t dims[5] = {(int64_t) a.batch, (int64_t) a.tokens, 3, (int64_t) a.heads, (int64_t) a.size};
    CHECK(output(context, 0, dims, 5, &a.dqkv));
    return run(context, backward_task, &a, "CausalAttentionGrad: out of memory");
}
