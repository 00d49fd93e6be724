"""Writes the benchmark models as SavedModels with random weights (seeded).

    python bench/make_models.py OUTDIR [NAME...]

Names: tiny (y = x/2 + 2), mlp (784-512-512-10), mobilenet_v2 and resnet50
(224x224x3), lstm (2 layers of 128 over a sequence of 128 embeddings),
bert_small (4 encoder layers, hidden 256, 4 heads, sequence 128). Each takes a
float32 (or int32 token) batch of any size as its one input "x".
"""
import os
import sys

import numpy as np
import tensorflow as tf


def tiny():
    class Tiny(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="x")])
        def serve(self, x):
            return {"y": x * 0.5 + 2.0}

    m = Tiny()
    return m, {"serving_default": m.serve}


def keras_model(build, spec):
    tf.keras.utils.set_random_seed(7)
    model = build()

    @tf.function(input_signature=[spec])
    def serve(x):
        return {"y": model(x, training=False)}

    module = tf.Module()
    module.model = model
    module.serve = serve
    return module, {"serving_default": serve}


def mlp():
    k = tf.keras.layers
    return keras_model(lambda: tf.keras.Sequential([tf.keras.Input((784,)), k.Dense(512, activation="relu"),
                                                    k.Dense(512, activation="relu"), k.Dense(10)]),
                       tf.TensorSpec([None, 784], tf.float32, name="x"))


def mobilenet_v2():
    return keras_model(lambda: tf.keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3)),
                       tf.TensorSpec([None, 224, 224, 3], tf.float32, name="x"))


def lstm():
    k = tf.keras.layers
    return keras_model(lambda: tf.keras.Sequential([tf.keras.Input((128,), dtype="int32"), k.Embedding(10000, 128),
                                                    k.LSTM(128, return_sequences=True), k.LSTM(128),
                                                    k.Dense(2)]),
                       tf.TensorSpec([None, 128], tf.int32, name="x"))


def resnet50():
    return keras_model(lambda: tf.keras.applications.ResNet50(weights=None, input_shape=(224, 224, 3)),
                       tf.TensorSpec([None, 224, 224, 3], tf.float32, name="x"))


def bert_small(layers=4, hidden=256, heads=4, seq=128, vocab=30522, ffn=1024):
    """A BERT-style encoder: token and position embeddings, then post-norm
    blocks of self-attention and a GELU feed-forward, pooled by the first token."""
    k = tf.keras.layers

    def build():
        tokens = tf.keras.Input((seq,), dtype="int32")
        x = k.Embedding(vocab, hidden)(tokens)
        positions = k.Embedding(seq, hidden)(tf.keras.ops.arange(seq))
        x = k.LayerNormalization(epsilon=1e-12)(x + positions)
        for _ in range(layers):
            attended = k.MultiHeadAttention(heads, hidden // heads)(x, x)
            x = k.LayerNormalization(epsilon=1e-12)(x + attended)
            h = k.Dense(ffn, activation="gelu")(x)
            x = k.LayerNormalization(epsilon=1e-12)(x + k.Dense(hidden)(h))
        pooled = k.Dense(hidden, activation="tanh")(x[:, 0])
        return tf.keras.Model(tokens, k.Dense(2)(pooled))

    return keras_model(build, tf.TensorSpec([None, seq], tf.int32, name="x"))


MODELS = {"tiny": tiny, "mlp": mlp, "mobilenet_v2": mobilenet_v2, "resnet50": resnet50, "lstm": lstm,
          "bert_small": bert_small}


def main():
    out = sys.argv[1]
    for name in sys.argv[2:] or MODELS:
        path = os.path.join(out, name)
        if os.path.exists(os.path.join(path, "saved_model.pb")):
            continue
        module, signatures = MODELS[name]()
        tf.saved_model.save(module, path, signatures=signatures)
        print("wrote", path)


if __name__ == "__main__":
    np.random.seed(7)
    main()
