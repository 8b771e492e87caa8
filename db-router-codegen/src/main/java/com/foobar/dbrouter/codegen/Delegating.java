package com.foobar.dbrouter.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for {@code Generated<Name>}, a final subclass of the annotated abstract class that implements every method of
 * the JDBC interface {@link #value()} the class leaves unimplemented (default methods too, so that the driver's
 * answer is used, not the interface's fallback). Each generated method:
 * <ol>
 *   <li>for {@code unwrap}/{@code isWrapperFor}, answers for the wrapper itself first;</li>
 *   <li>calls the class's {@link Before} hooks whose prefix starts the method's name;</li>
 *   <li>takes its target from the class's {@code delegate()} method, outside the {@code try}: failing to get a target
 *       (a closed handle, no node to bind) is not a failure of the target;</li>
 *   <li>calls the same method on the target, passing its result through the class's {@link Wraps} method for that
 *       exact type, if any;</li>
 *   <li>passes a {@code SQLException} through the class's {@code SQLException failed(SQLException)} and throws what
 *       it returns (a narrower declared exception, such as {@code SQLClientInfoException}, is reported and rethrown
 *       as it is).</li>
 * </ol>
 * The class hand-writes only the methods with behaviour. The idea is HikariCP's: its proxies are hand-written abstract
 * classes, and the plain delegation is generated at build time (HikariCP with Javassist, here as Java source).
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Delegating {
    /** The interface the generated class implements in full. */
    Class<?> value();
}
