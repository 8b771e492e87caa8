package com.foobar.dbrouter.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a no-argument method of a {@link Delegating} class that every generated method whose name starts with
 * {@link #value()} calls before it delegates ({@code ""}: every generated method). Hooks run in declaration order,
 * superclass first.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface Before {
    /** The method-name prefix, such as {@code "execute"}. */
    String value();
}
