package org.myna.registry.stats;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.myna.registry.auth.Roles;
import org.myna.registry.config.RegistryConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/stats")
@RolesAllowed(Roles.AUDITOR)
public class StatsResource {

    private final EntityManager em;
    private final RegistryConfig config;

    public StatsResource(EntityManager em, RegistryConfig config) {
        this.em = em;
        this.config = config;
    }

    public record Stats(long residents, Map<String, Long> byPrefecture, long nationalPopulation, double shareOfNationalPopulation) {
    }

    @GET
    @Transactional
    public Stats stats() {
        List<Object[]> rows = em.createQuery(
                "select r.prefecture, count(r) from Resident r where r.status = 'active' group by r.prefecture order by r.prefecture",
                Object[].class).getResultList();
        Map<String, Long> byPrefecture = new LinkedHashMap<>();
        long total = 0;
        for (Object[] row : rows) {
            long n = (Long) row[1];
            byPrefecture.put((String) row[0], n);
            total += n;
        }
        long population = config.stats().nationalPopulation();
        return new Stats(total, byPrefecture, population, population == 0 ? 0 : (double) total / population);
    }
}
