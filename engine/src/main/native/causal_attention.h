/*
 * The shapes the attention kernels work on (causal_attention.c computes, attention_ops.c reads the
 * operators' operands into them).
 */
#ifndef CAUSAL_ATTENTION_H
#define CAUSAL_ATTENTION_H

#include <stddef.h>
#include "rlhf_ops.h"

/* A tensor of token rows per head: head h's rows of sequence b start at data + b * batch + h * head, `row` floats apart. */
typedef struct {
    float *data;   /* written only through the views of outputs */
    size_t batch, head, row;
} View;

typedef struct {
    size_t batch, tokens, heads, kv_heads, size;   /* B, T, H query heads, K key/value heads (H a multiple), D */
    size_t padded;                                 /* row stride of the per-head buffers: see attention_padded */
    float scale;                                   /* 1 / sqrt(D) */
    View q, k, v, out;                             /* forward operands; probs is (B, H, T, T) */
    View dout, dq, dk, dv;                         /* and backward */
    const float *mask;                             /* (T, T) additive, or one per sequence */
    size_t mask_batch;                             /* floats from one sequence's mask to the next: 0 when shared */
    float *probs;
    const float *probs_in;
    size_t *span;                                  /* per query row (per sequence when the masks are) */
    int out_of_memory;
} Attention;

/* The forward pass of (sequence, query head) `task` of B * H; the backward pass of (sequence, key head) `task` of B * K. */
void attention_forward_task(void *args, size_t task);
void attention_backward_task(void *args, size_t task);

/*
 * Each query row's span, for each of `masks` (T, T) masks: one past its last key with a mask above the hidden
 * limit (all keys if it sees none, as the nodes' softmax then spreads over all of them). Freed by the caller.
 */
size_t *attention_spans(const float *mask, size_t masks, size_t tokens);

/*
 * T rounded up to whole vectors of 16, and one more: per-head buffer rows 2^k floats apart would share a few cache
 * sets, and the transposes and column reads would evict each other.
 */
static inline size_t attention_padded(size_t tokens) { return (tokens + 15) / 16 * 16 + 16; }

#endif
