package moonshot.stack;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Set;

/** Reads which management hosts a service knows, from inventory's list or another service's {@code /known-hosts}. */
final class KnownHosts {

    private KnownHosts() {
    }

    /** The names of the hosts {@code url} lists and does not mark removed; empty while the service cannot answer. */
    static Set<String> activeNames(String url) {
        Set<String> names = new HashSet<>();
        Api.Answer answer;
        try {
            answer = Api.get(url);
        } catch (IllegalStateException unreachable) {
            return names;
        }
        if (answer.status() != 200 || answer.body() == null || !answer.body().isArray()) {
            return names;
        }
        for (JsonNode host : answer.body()) {
            if (host.hasNonNull("name") && !host.path("removed").asBoolean(false)) {
                names.add(host.get("name").asText());
            }
        }
        return names;
    }
}
