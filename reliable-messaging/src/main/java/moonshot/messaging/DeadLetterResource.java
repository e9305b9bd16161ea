package moonshot.messaging;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * What this service's consumers dead-lettered, and the way back in: an operator reads the reason, mends the cause
 * (registers the host, fixes the bug) and replays the record.
 */
@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    public record Replayed(String deadLetter, String publishedAs) {
    }

    @GET
    @Operation(summary = "The newest dead-lettered records of this service's consumers, newest first, with the reason")
    public List<DeadLetters.DeadLetter> list(@QueryParam("topic") List<String> topics,
                                             @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(1000) int limit) {
        return deadLetters.newest(topics, limit);
    }

    @POST
    @Path("/{topic}/{partition}/{offset}/replay")
    @Operation(summary = "Publishes a dead-lettered record again on its original topic (a duplicate has no second"
            + " effect)")
    public Replayed replay(@PathParam("topic") String topic, @PathParam("partition") @Min(0) int partition,
                           @PathParam("offset") @Min(0) long offset) {
        return new Replayed(topic + "/" + partition + "/" + offset, deadLetters.replay(topic, partition, offset));
    }
}
