package org.myna.registry.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.Generator;

import java.util.function.Supplier;

/**
 * Identifiers for rows that a bulk path writes with plain JDBC, drawn from the entity's own Hibernate id generator
 * (its sequence and pooled optimizer), so that they can never clash with the ids that Hibernate hands out to
 * entities persisted the ordinary way. Needs an active transaction: the sequence is read on its connection.
 */
@ApplicationScoped
public class BulkIds {

    private final EntityManager em;

    public BulkIds(EntityManager em) {
        this.em = em;
    }

    public long[] next(Class<?> entity, Supplier<Object> instance, int count) {
        SharedSessionContractImplementor session = em.unwrap(SharedSessionContractImplementor.class);
        Generator generator = session.getFactory().getMappingMetamodel().getEntityDescriptor(entity).getGenerator();
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
}
