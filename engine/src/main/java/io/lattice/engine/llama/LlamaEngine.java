package io.lattice.engine.llama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import io.lattice.api.ApiError;
import io.lattice.api.ChatMessage;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.FinishReason;
import io.lattice.api.Generation;
import io.lattice.api.Json;
import io.lattice.api.Sampling;
import io.lattice.core.ModelCapability;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.TokenListener;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A GGUF text model run in-process by llama.cpp through de.kherud's binding.
 *
 * <p>Design note. The binding runs llama.cpp's server loop in-process with one slot, so one request
 * runs at a time and {@link #lock} serialises calls (the node agent queues in front and reports
 * the queue). Per request:
 * <ol>
 *   <li>the prompt is the raw prompt, or the messages rendered by the model's own chat template
 *       (llama.cpp's Jinja engine);</li>
 *   <li>prompt tokens are counted with the model's tokenizer plus the special tokens llama.cpp adds
 *       ({@link SpecialTokens}); a prompt that leaves no room in the context is a 400;</li>
 *   <li>llama.cpp streams one message per sampled token (a token that ends inside a multi-byte
 *       character is sent together with the token that completes it); stop strings are matched
 *       here, not in llama.cpp, so streamed text is held back only while it could still become a
 *       stop string ({@link StopStrings});</li>
 *   <li>{@code max_tokens} is capped by the room left in the context, so the context never
 *       overflows (context shift is off: an answer never silently forgets its prompt).</li>
 * </ol>
 *
 * <p>Finish reason and completion tokens: llama.cpp renders an end-of-generation token as empty
 * text, so an answer whose last message is empty ended by itself ({@code stop}, tokens = messages
 * received); an answer cut by a stop string ends with {@code stop} and counts the tokens read up to
 * it; otherwise llama.cpp stopped at the token limit ({@code length}) and generated exactly that
 * many tokens. The binding reports no token ids, so an answer that ends by itself after characters
 * split over several tokens counts each such character as one token.
 *
 * <p>Sampling follows OpenAI: temperature and top_p default to 1, no top-k and no min-p; the
 * 64-bit seed is folded to llama.cpp's 32 bits; without a seed llama.cpp draws one. The prompt cache
 * is off so that the same seed and request give the same text.
 */
final class LlamaEngine implements InferenceEngine {

    private static final System.Logger LOG = System.getLogger(LlamaEngine.class.getName());

    /** llama.cpp's "no seed given, draw one"; a folded seed never takes this value. */
    private static final int LLAMA_RANDOM_SEED = -1;

    private final ServedModel served;
    private final LlamaModel model;
    private final int contextSize;
    private final int specialTokens;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    LlamaEngine(String id, LlamaModel model, int contextSize, int specialTokens) {
        this.served = new ServedModel(id, Set.of(ModelCapability.CHAT, ModelCapability.COMPLETIONS), "gguf");
        this.model = model;
        this.contextSize = contextSize;
        this.specialTokens = specialTokens;
    }

    @Override
    public ServedModel model() {
        return served;
    }

    @Override
    public Generation chat(ChatRequest request, TokenListener tokens) {
        lock.lock();
        try {
            ensureOpen();
            return generate(applyTemplate(request), "messages", request.sampling(), tokens);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Generation complete(CompletionRequest request, TokenListener tokens) {
        lock.lock();
        try {
            ensureOpen();
            return generate(request.prompt(), "prompt", request.sampling(), tokens);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        throw ApiError.invalidField("model", "The model '" + served.id() + "' generates text and does not do"
                + " embeddings. Use an embedding model for /v1/embeddings.").toException();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
                LOG.log(System.Logger.Level.DEBUG, "closed model {0}", served.id());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Prompt tokens of {@code prompt} as llama.cpp evaluates it, special tokens included. */
    int promptTokens(String prompt) {
        lock.lock();
        try {
            ensureOpen();
            return model.encode(prompt).length + specialTokens;
        } finally {
            lock.unlock();
        }
    }

    /** The chat prompt llama.cpp's template engine renders for {@code request}. */
    String template(ChatRequest request) {
        lock.lock();
        try {
            ensureOpen();
            return applyTemplate(request);
        } finally {
            lock.unlock();
        }
    }

    private String applyTemplate(ChatRequest request) {
        ObjectNode body = Json.object();
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        try {
            return model.applyTemplate(Json.string(body));
        } catch (RuntimeException e) {
            // the template itself refuses (for example roles that do not alternate): the request's fault
            throw ApiError.invalidField("messages", "The chat template of model '" + served.id()
                    + "' cannot render these messages: " + e.getMessage()).toException();
        }
    }

    private Generation generate(String prompt, String promptParam, Sampling sampling, TokenListener listener) {
        int promptTokens = promptTokens(prompt);
        int room = contextSize - promptTokens;
        if (room < 1) {
            String what = "messages".equals(promptParam)
                    ? "the messages take " + promptTokens + " tokens with the chat template applied"
                    : "the prompt takes " + promptTokens + " tokens";
            throw ApiError.invalidField(promptParam, "This model's context is " + contextSize + " tokens, but "
                    + what + ", which leaves no room for an answer. Shorten the " + promptParam + " to fewer than "
                    + contextSize + " tokens (less still, to leave room for the answer).").toException();
        }
        Integer maxTokens = sampling.maxTokens();
        if (maxTokens != null && maxTokens < 1) {
            throw ApiError.invalidField("max_tokens", "'max_tokens' must be at least 1 but was " + maxTokens + ".")
                    .toException();
        }
        int limit = maxTokens == null ? room : Math.min(maxTokens, room);
        InferenceParameters parameters = new InferenceParameters(prompt)
                .setNPredict(limit)
                .setTemperature(sampling.temperature() == null ? 1f : sampling.temperature().floatValue())
                .setTopP(sampling.topP() == null ? 1f : sampling.topP().floatValue())
                .setTopK(0)
                .setMinP(0f)
                .setCachePrompt(false);
        if (sampling.seed() != null) {
            parameters.setSeed(foldSeed(sampling.seed()));
        }

        StopStrings stops = new StopStrings(sampling.stop());
        StringBuilder text = new StringBuilder();
        int messages = 0;
        String lastMessage = null;
        LlamaIterator iterator = start(parameters);
        try {
            while (iterator.hasNext()) {
                LlamaOutput output = next(iterator);
                if (!iterator.hasNext()) {
                    // the closing message says that generation ended; in streaming mode it carries no text
                    emit(stops.accept(output.text), text, listener);
                    break;
                }
                messages++;
                lastMessage = output.text;
                emit(stops.accept(output.text), text, listener);
                if (stops.stopped()) {
                    iterator.cancel();
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            if (iterator.hasNext()) {
                iterator.cancel(); // the listener failed (client gone) or llama.cpp did: stop generating
            }
            throw e;
        }
        if (stops.stopped()) {
            return new Generation(text.toString(), FinishReason.STOP, promptTokens, messages);
        }
        emit(stops.flush(), text, listener);
        if (lastMessage != null && lastMessage.isEmpty()) {
            return new Generation(text.toString(), FinishReason.STOP, promptTokens, messages);
        }
        return new Generation(text.toString(), FinishReason.LENGTH, promptTokens, limit);
    }

    private LlamaIterator start(InferenceParameters parameters) {
        try {
            return model.generate(parameters).iterator();
        } catch (RuntimeException e) {
            throw new EngineException("llama.cpp refused a request for model " + served.id() + ": " + e.getMessage(),
                    e);
        }
    }

    private LlamaOutput next(LlamaIterator iterator) {
        try {
            return iterator.next();
        } catch (RuntimeException e) {
            throw new EngineException("llama.cpp failed while generating for model " + served.id() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void emit(String piece, StringBuilder text, TokenListener listener) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onText(piece);
        }
    }

    /** Folds a 64-bit seed into llama.cpp's 32 bits, avoiding the value that means "random". */
    static int foldSeed(long seed) {
        int folded = (int) (seed ^ (seed >>> 32));
        return folded == LLAMA_RANDOM_SEED ? Integer.MAX_VALUE : folded;
    }

    private void ensureOpen() {
        if (closed) {
            throw new EngineException("model " + served.id() + " is closed");
        }
    }
}
