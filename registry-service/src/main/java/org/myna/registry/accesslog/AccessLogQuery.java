package org.myna.registry.accesslog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;

/**
 * Pages of the access log by keyset: newest first in the total order (at, id), each page starting strictly after the
 * previous page's last row. Rows inserted while a client pages (a delivery from another service may carry an older
 * {@code at}) can never make a row repeat or vanish from the pages still to come, as an offset would.
 */
@ApplicationScoped
public class AccessLogQuery {

    private final EntityManager em;

    public AccessLogQuery(EntityManager em) {
        this.em = em;
    }

    /** One row with the acting organisation's name (null for a resident or an unknown client). */
    public record Row(AccessLogEntry entry, String organisationName) {
    }

    /** A page and the cursor of the next one, null on the last page. */
    public record Page(List<Row> rows, String next) {
    }

    /** Rows about one resident ({@code residentId}) or about anyone (null: the caller must then name an organisation). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Page page(Long residentId, AccessLogFilter filter, String cursor) {
        AccessLogCursor after = AccessLogCursor.decode(cursor);
        StringBuilder where = new StringBuilder("where 1 = 1");
        if (residentId != null) {
            where.append(" and e.residentId = :resident");
        }
        if (filter.organisation() != null) {
            where.append(" and e.actor = :organisation");
        }
        if (filter.purpose() != null) {
            where.append(" and (e.purpose = :purpose or e.purpose like :purposePrefix)");
        }
        if (filter.from() != null) {
            where.append(" and e.at >= :from");
        }
        if (filter.to() != null) {
            where.append(" and e.at < :to");
        }
        if (after != null) {
            where.append(" and (e.at < :afterAt or (e.at = :afterAt and e.id < :afterId))");
        }
        TypedQuery<Object[]> query = em.createQuery("select e, c.organisationName from AccessLogEntry e "
                + "left join OAuthClient c on c.clientId = e.actor " + where + " order by e.at desc, e.id desc", Object[].class);
        if (residentId != null) {
            query.setParameter("resident", residentId);
        }
        if (filter.organisation() != null) {
            query.setParameter("organisation", filter.organisation());
        }
        if (filter.purpose() != null) {
            // The purpose pattern admits no '%' or '_' (AccessLogFilter), so the prefix needs no escaping.
            query.setParameter("purpose", filter.purpose()).setParameter("purposePrefix", filter.purpose() + ":%");
        }
        if (filter.from() != null) {
            query.setParameter("from", filter.from());
        }
        if (filter.to() != null) {
            query.setParameter("to", filter.to());
        }
        if (after != null) {
            query.setParameter("afterAt", after.at()).setParameter("afterId", after.id());
        }
        List<Object[]> found = query.setMaxResults(filter.limit() + 1).getResultList();
        List<Row> rows = new ArrayList<>(Math.min(found.size(), filter.limit()));
        for (int i = 0; i < Math.min(found.size(), filter.limit()); i++) {
            rows.add(new Row((AccessLogEntry) found.get(i)[0], (String) found.get(i)[1]));
        }
        String next = found.size() > filter.limit() ? AccessLogCursor.after(rows.get(rows.size() - 1).entry()).encode() : null;
        return new Page(rows, next);
    }
}
