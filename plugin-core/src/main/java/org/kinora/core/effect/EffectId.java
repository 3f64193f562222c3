package org.kinora.core.effect;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Marks an {@link Effect} component with its id, published as the service property {@code kinora.effect.id}.
 * Hosts look effects up with the filter {@code (kinora.effect.id=style-transfer)}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EffectId {
    /** Prefix making the property {@code kinora.effect.id}. */
    String PREFIX_ = "kinora.";

    /** The service property name. */
    String PROPERTY = "kinora.effect.id";

    /** The effect id. */
    String value();
}
