package moonshot.scheduler.service;

import moonshot.api.errors.ConflictException;

/** A restore that cannot be planned or started as asked (409), naming the request field it comes down to. */
public class RestoreRefused extends ConflictException {
    private final String field;

    public RestoreRefused(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
