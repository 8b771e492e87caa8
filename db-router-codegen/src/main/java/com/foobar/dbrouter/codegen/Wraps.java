package com.foobar.dbrouter.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a one-argument method {@code T m(T)} of a {@link Delegating} class: every generated method whose return type
 * is exactly {@code T} returns the target's result through it (a connection's statements, a statement's result sets).
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface Wraps {
}
