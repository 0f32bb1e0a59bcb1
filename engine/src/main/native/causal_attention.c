/*
 * Scaled dot-product self-attention under a causal mask, forward and backward: the arithmetic of the
 * CausalAttention and GroupedAttention operators (attention_ops.c has the operators, causal_attention.h
 * the shapes). Forward: one (sequence, query head) per task; backward: one (sequence, key/value head), so
 * that the query heads sharing a key head add their key and value gradients without racing.
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
#include "causal_attention.h"

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

/* Stores v at p, or adds it to what p holds. */
static inline void put(float *p, vf v, int add) { store(p, add ? load(p) + v : v); }

/* Sets n accumulators to 0 (an initializer would make the compiler clear them in memory first). */
static inline void zero(vf *acc, size_t n) {
#pragma GCC unroll 16
    for (size_t i = 0; i < n; i++) acc[i] = (vf){0};
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

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
 * out[r][0 .. depth) (+)= sum over k in [begin, end) of w[at[r] + k * wk] y[k][0 .. depth): a tile of weighted
 * sums of y's rows (row stride ys), added to out when `add`. With wk = 1 the weights are the tile's rows of a
 * matrix (w k); with wk the matrix's row stride they are its columns (w^T k). depth is a multiple of VW; out has
 * row stride os.
 */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void mix_tile(const float *w, const size_t at[ROWS], size_t wk, size_t begin, size_t end, size_t rows,
                     const float *y, size_t ys, size_t depth, float *out, size_t os, int add) {
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
            for (size_t v = 0; v < 4; v++) put(out + r * os + d + v * VW, acc[r][v], add);
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
        for (size_t r = 0; r < rows; r++) put(out + r * os + d, acc[r], add);
    }
}

/* The product of a tile of w's rows i0 .. i0 + rows (row stride ws) and y's first n rows. */
static void rows_times(const float *w, size_t ws, size_t i0, size_t rows, const float *y, size_t ys, size_t depth,
                       size_t n, float *out, size_t os) {
    size_t at[ROWS];
    for (size_t r = 0; r < ROWS; r++) at[r] = i0 * ws + tile_row(r, rows, ws);
    mix_tile(w, at, 1, 0, n, rows, y, ys, depth, out, os, 0);
}

/*
 * The transposed product for w's columns j0 .. j0 + rows (row stride ws): the sum over y's rows i in
 * [first, count) of w[i][j] y[i], stored or (add) added; rows before `first` hold only zeros in those columns
 * (their spans end before j0).
 */
static void columns_times(const float *w, size_t ws, size_t j0, size_t rows, size_t first, size_t count,
                          const float *y, size_t ys, size_t depth, float *out, size_t os, int add) {
    size_t at[ROWS];
    for (size_t r = 0; r < ROWS; r++) at[r] = j0 + tile_row(r, rows, 1);
    mix_tile(w, at, ws, first, count, rows, y, ys, depth, out, os, add);
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

/* Where head h's rows of sequence b start in a view. */
static float *rows_of(View v, size_t b, size_t h) { return v.data + b * v.batch + h * v.head; }

void attention_forward_task(void *args, size_t task) {
    Attention *a = args;
    const size_t T = a->tokens, D = a->size, Tp = a->padded;
    const size_t b = task / a->heads, h = task % a->heads, kv = h / (a->heads / a->kv_heads);
    float *kt = malloc((D * Tp + ROWS * Tp) * sizeof(float));
    if (kt == NULL) {
        a->out_of_memory = 1;
        return;
    }
    float *s = kt + D * Tp;
    const float *q = rows_of(a->q, b, h), *k = rows_of(a->k, b, kv), *v = rows_of(a->v, b, kv);
    float *p = a->probs + task * T * T, *out = rows_of(a->out, b, h);
    const float *mask = a->mask + b * a->mask_batch;
    const size_t *span = spans_of(a, b);
    transpose_into(k, a->k.row, T, D, Tp, kt);
    for (size_t i0 = 0; i0 < T; i0 += ROWS) {
        size_t rows = min_size(ROWS, T - i0), n = tile_span(span + i0, rows);
        dot_tile(q + i0 * a->q.row, a->q.row, rows, kt, Tp, D, round_up(n, VW), s);
        for (size_t r = 0; r < rows; r++) {
            size_t i = i0 + r;
            softmax_row(s + r * Tp, mask + i * T, span[i], a->scale, p + i * T, T);
        }
        rows_times(p, T, i0, rows, v, a->v.row, D, n, out + i0 * a->out.row, a->out.row);
    }
    free(kt);
}

void attention_backward_task(void *args, size_t task) {
    Attention *a = args;
    const size_t T = a->tokens, D = a->size, Tp = a->padded, group = a->heads / a->kv_heads;
    const size_t b = task / a->kv_heads, kv = task % a->kv_heads;
    float *vt = malloc((D * Tp + T * Tp) * sizeof(float));
    if (vt == NULL) {
        a->out_of_memory = 1;
        return;
    }
    float *ds = vt + D * Tp;   /* (T, Tp): dL/d(q k^T) of one query head, the scale included */
    const float *k = rows_of(a->k, b, kv), *v = rows_of(a->v, b, kv);
    float *dk = rows_of(a->dk, b, kv), *dv = rows_of(a->dv, b, kv);
    const size_t *span = spans_of(a, b);
    transpose_into(v, a->v.row, T, D, Tp, vt);
    for (size_t g = 0; g < group; g++) {   /* the query heads that share this key head add up in dk and dv */
        const size_t h = kv * group + g;
        const float *q = rows_of(a->q, b, h), *dout = rows_of(a->dout, b, h);
        const float *p = a->probs_in + (b * a->heads + h) * T * T;
        float *dq = rows_of(a->dq, b, h);
        for (size_t i0 = 0; i0 < T; i0 += ROWS) {
            size_t rows = min_size(ROWS, T - i0), n = tile_span(span + i0, rows);
            dot_tile(dout + i0 * a->dout.row, a->dout.row, rows, vt, Tp, D, round_up(n, VW), ds + i0 * Tp);  /* dp = dout v^T */
            for (size_t r = 0; r < rows; r++) {
                size_t i = i0 + r;
                softmax_grad_row(ds + i * Tp, p + i * T, span[i], a->scale, Tp);
            }
            rows_times(ds, Tp, i0, rows, k, a->k.row, D, n, dq + i0 * a->dq.row, a->dq.row);            /* dq = ds k */
        }
        for (size_t j0 = 0, first = 0; j0 < T; j0 += ROWS) {
            size_t rows = min_size(ROWS, T - j0);
            while (first < T && span[first] <= j0) first++;   /* spans only shrink the set of rows reaching j0 */
            columns_times(ds, Tp, j0, rows, first, T, q, a->q.row, D, dk + j0 * a->dk.row, a->dk.row, g > 0);   /* dk = ds^T q */
            columns_times(p, T, j0, rows, first, T, dout, a->dout.row, D, dv + j0 * a->dv.row, a->dv.row, g > 0);   /* dv = p^T dout */
        }
    }
    free(vt);
}

size_t *attention_spans(const float *mask, size_t masks, size_t tokens) {
    size_t *span = malloc((masks * tokens + 1) * sizeof(size_t));
    if (span == NULL) return NULL;
    for (size_t i = 0; i < masks * tokens; i++) {
        size_t n = tokens;
        while (n > 0 && mask[i * tokens + n - 1] <= HIDDEN) n--;
        span[i] = n == 0 ? tokens : n;
    }
    return span;
}
