package moonshot.api.errors;

/** No resource by that id or name (404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
