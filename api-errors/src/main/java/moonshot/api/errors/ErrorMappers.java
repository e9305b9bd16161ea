package moonshot.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Maps every failure of a request to {@link ApiError}. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return respond(new ApiError(400, e.getMessage(), e.field(),
                List.of(new ApiError.FieldViolation(e.field(), e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<ApiError.FieldViolation> violations = e.getConstraintViolations().stream()
                .map(v -> new ApiError.FieldViolation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(ApiError.FieldViolation::field))
                .toList();
        String message = violations.stream().map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
        return respond(new ApiError(400, message, violations.isEmpty() ? null : violations.get(0).field(), violations));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        String message = "unreadable request body: " + e.getOriginalMessage().lines().findFirst().orElse("");
        return respond(new ApiError(400, message, field,
                field == null ? List.of() : List.of(new ApiError.FieldViolation(field, message))));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return respond(ApiError.of(404, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return respond(ApiError.of(409, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return respond(ApiError.of(status, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("request failed", e);
        return respond(ApiError.of(500, "internal error: " + e.getClass().getSimpleName()
                + " (details are in the service log)"));
    }

    private static Response respond(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
    }

    /**
     * The property path without the method and parameter names: {@code nodes[1].role}, not
     * {@code create.arg0.nodes[1].role}; a violation on a parameter itself (a query parameter) is named by it.
     */
    static String fieldOf(ConstraintViolation<?> violation) {
        java.util.List<Path.Node> nodes = new java.util.ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER && i < nodes.size() - 1) {
                continue;
            }
            if (kind == ElementKind.CONTAINER_ELEMENT && node.getName() != null && node.getName().startsWith("<")) {
                continue;
            }
            if (node.getIndex() != null && field.length() > 0) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.length() == 0 ? "body" : field.toString();
    }
}
