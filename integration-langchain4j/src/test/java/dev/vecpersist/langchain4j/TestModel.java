package dev.vecpersist.langchain4j;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/** The quantized all-MiniLM-L6-v2 model (384 dimensions), in-jar ONNX, loaded once per test JVM. */
final class TestModel {

    static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
    static final int DIMENSION = 384;

    private TestModel() {
    }
}
