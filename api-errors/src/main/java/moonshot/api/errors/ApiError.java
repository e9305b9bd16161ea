package moonshot.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The one error body every service returns: a readable message, the field at fault, never a stack trace. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(int status, String message, String field, List<FieldViolation> violations) {

    public record FieldViolation(String field, String message) {
    }

    public static ApiError of(int status, String message) {
        return new ApiError(status, message, null, List.of());
    }
}
