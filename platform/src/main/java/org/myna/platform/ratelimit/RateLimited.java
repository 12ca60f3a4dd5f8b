package org.myna.platform.ratelimit;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits an endpoint (or every endpoint of a resource class) per client address, in the named group: endpoints of one
 * group share one allowance per address, configured under {@code rate-limit.groups.<group>} ({@link RateLimitConfig}).
 * Meant for endpoints that anyone may call and that write or spend CPU (token grants, card-login challenges).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {
    /** The group; the filter itself carries the binding with the default. */
    String value() default "";
}
