package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.repository.MaintenanceTicketRepository;
import moonshot.scheduler.saga.MaintenanceSaga;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Blocks the maintenance tickets still waiting for their backup or a power sequence at their deadline, through
 * {@link MaintenanceSaga#overdue} under the ticket's row lock: {@code blocked} with what the ticket waited for goes to
 * {@code moonshot.maintenance.status} (logged by the saga), as for a failed backup or sequence.
 */
@ApplicationScoped
public class BlockOverdueTickets {

    private final MaintenanceTicketRepository tickets;
    private final MaintenanceSaga saga;

    BlockOverdueTickets(MaintenanceTicketRepository tickets, MaintenanceSaga saga) {
        this.tickets = tickets;
        this.saga = saga;
    }

    @Transactional
    public List<UUID> due(Instant now, int limit) {
        return tickets.overdue(now, limit);
    }

    /** @return whether this transaction blocked the ticket (false: it moved on, or another transaction holds it) */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean block(UUID ticketId, Instant now) {
        Optional<MaintenanceTicket> overdue = tickets.lockIfOverdue(ticketId, now);
        if (overdue.isEmpty()) {
            return false;
        }
        MaintenanceTicket ticket = overdue.get();
        MDC.put("managementHost", ticket.managementHost);
        MDC.put("ticket", ticket.ticket);
        try {
            return saga.overdue(ticket, now);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("ticket");
        }
    }
}
