package moonshot.api.errors;

/** A request that breaks a rule bean validation cannot express; answered 400 with the field. */
public class InvalidRequestException extends RuntimeException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
