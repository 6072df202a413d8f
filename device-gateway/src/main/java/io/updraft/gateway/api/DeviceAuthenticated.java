package io.updraft.gateway.api;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link DdiAuthFilter} to every DDI resource: the filter runs for each request matched to a class or method
 * carrying it, and decides on the path parameters that matched, whatever the raw path looked like.
 */
@NameBinding
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface DeviceAuthenticated {
}
