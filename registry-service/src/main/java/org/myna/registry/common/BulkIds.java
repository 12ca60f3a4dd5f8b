package org.myna.registry.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.boot.model.relational.QualifiedName;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.Generator;
import org.hibernate.id.enhanced.Optimizer;
import org.hibernate.id.enhanced.PooledLoOptimizer;
import org.hibernate.id.enhanced.PooledOptimizer;
import org.hibernate.id.enhanced.SequenceStyleGenerator;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Identifiers for rows that a bulk path writes with plain JDBC, taken from the entity's own sequence in the blocks its
 * Hibernate generator uses, so that they can never clash with the ids that Hibernate hands out to entities persisted
 * the ordinary way. Needs an active transaction: the sequence is read on its connection.
 * <p>
 * Each sequence value is one block of {@code increment} ids, read the way the generator's optimizer reads it
 * (pooled: the value ends its block; pooled-lo: the value starts it). A chunk of 1,000 ids with the mapped increment
 * of 50 is then one query ({@code nextval} over {@code generate_series}, which H2 knows too) instead of 20 round trips
 * through the optimizer. Any other generator or optimizer falls back to asking the generator id by id.
 */
@ApplicationScoped
public class BulkIds {

    private final EntityManager em;
    private final String schema;

    public BulkIds(EntityManager em,
                   @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema", defaultValue = "registry") String schema) {
        this.em = em;
        this.schema = schema;
    }

    public long[] next(Class<?> entity, Supplier<Object> instance, int count) {
        SharedSessionContractImplementor session = em.unwrap(SharedSessionContractImplementor.class);
        Generator generator = session.getFactory().getMappingMetamodel().getEntityDescriptor(entity).getGenerator();
        if (generator instanceof SequenceStyleGenerator sequence && sequence.getDatabaseStructure().isPhysicalSequence()) {
            Optimizer optimizer = sequence.getOptimizer();
            int increment = sequence.getDatabaseStructure().getIncrementSize();
            if (optimizer instanceof PooledOptimizer || optimizer instanceof PooledLoOptimizer) {
                return blocks(session, qualified(sequence.getDatabaseStructure().getPhysicalName()), increment,
                        optimizer instanceof PooledLoOptimizer, count);
            }
        }
        if (!(generator instanceof BeforeExecutionGenerator before)) {
            throw new IllegalStateException(entity.getSimpleName() + " ids are not generated before insert");
        }
        Object owner = instance.get();
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = ((Number) before.generate(session, owner, null, EventType.INSERT)).longValue();
        }
        return ids;
    }

    /** The mapping names no schema: Hibernate applies the default schema when it writes SQL, and so must we. */
    private String qualified(QualifiedName name) {
        return name.getSchemaName() == null ? schema + "." + name.render() : name.render();
    }

    private static long[] blocks(SharedSessionContractImplementor session, String sequenceName, int increment, boolean lo, int count) {
        long[] ids = new long[count];
        int n = 0;
        String sql = "select nextval('" + sequenceName + "') from generate_series(1, ?)";
        try (PreparedStatement ps = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection().prepareStatement(sql)) {
            // Normally one round: only a block at the sequence's very start can come short (see below).
            while (n < count) {
                ps.setInt(1, (count - n + increment - 1) / increment);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long value = rs.getLong(1);
                        // Ids below 1 are never handed out: the pooled optimizer treats the sequence's first value (1)
                        // as the start of its block, so the block that would end at 1 holds only id 1 here.
                        long first = lo ? value : Math.max(1, value - increment + 1);
                        long last = lo ? value + increment - 1 : value;
                        for (long id = first; id <= last && n < count; id++) {
                            ids[n++] = id;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new jakarta.persistence.PersistenceException("could not read sequence " + sequenceName, e);
        }
        return ids;
    }
}
