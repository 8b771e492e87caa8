package com.foobar.dbrouter.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.MirroredTypeException;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Writes the {@code Generated<Name>} subclass of each {@link Delegating} class; see there for what a generated method
 * does. Errors name the annotated class and what it lacks, and fail the build.
 */
public final class DelegatingProcessor extends AbstractProcessor {
    static final String SQL_EXCEPTION = "java.sql.SQLException";

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(Delegating.class.getName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element e : round.getElementsAnnotatedWith(Delegating.class)) {
            TypeElement cls = (TypeElement) e;
            try {
                Plan plan = plan(cls);
                write(cls, plan);
            } catch (PlanException failure) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        "@Delegating " + cls.getQualifiedName() + ": " + failure.getMessage(), cls);
            } catch (IOException failure) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        "@Delegating " + cls.getQualifiedName() + ": cannot write the generated class: " + failure, cls);
            }
        }
        return true;
    }

    /** What to generate for one class: the interface's unimplemented methods and the hooks they use. */
    private record Plan(TypeElement iface, List<ExecutableElement> methods, List<Hook> befores,
                        Map<TypeMirror, String> wraps, List<ExecutableElement> constructors,
                        List<? extends TypeMirror> delegateThrows) {
    }

    private record Hook(String prefix, String method, List<? extends TypeMirror> thrown) {
    }

    private static final class PlanException extends Exception {
        private static final long serialVersionUID = 1L;

        PlanException(String message) {
            super(message);
        }
    }

    private Plan plan(TypeElement cls) throws PlanException {
        Types types = processingEnv.getTypeUtils();
        if (cls.getKind() != ElementKind.CLASS || !cls.getModifiers().contains(Modifier.ABSTRACT)
                || cls.getNestingKind().isNested()) {
            throw new PlanException("must be a top-level abstract class");
        }
        TypeElement iface = (TypeElement) types.asElement(interfaceOf(cls));
        if (!types.isAssignable(types.erasure(cls.asType()), types.erasure(iface.asType()))) {
            throw new PlanException("must implement " + iface.getQualifiedName());
        }
        List<TypeElement> chain = superclassChain(cls);

        ExecutableElement delegate = findMethod(chain, "delegate", 0);
        if (delegate == null) {
            throw new PlanException("needs a no-argument delegate() method giving the " + iface.getSimpleName()
                    + " to call");
        }
        if (findMethod(chain, "failed", 1) == null) {
            throw new PlanException("needs a method SQLException failed(SQLException)");
        }

        List<Hook> befores = new ArrayList<>();
        Map<TypeMirror, String> wraps = new LinkedHashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            for (ExecutableElement m : methodsOf(chain.get(i))) {
                Before before = m.getAnnotation(Before.class);
                if (before != null) {
                    if (!m.getParameters().isEmpty() || m.getReturnType().getKind() != TypeKind.VOID) {
                        throw new PlanException("@Before " + m.getSimpleName() + " must take no argument and return"
                                + " nothing");
                    }
                    befores.add(new Hook(before.value(), m.getSimpleName().toString(), m.getThrownTypes()));
                }
                if (m.getAnnotation(Wraps.class) != null) {
                    if (m.getParameters().size() != 1
                            || !types.isSameType(m.getParameters().get(0).asType(), m.getReturnType())) {
                        throw new PlanException("@Wraps " + m.getSimpleName() + " must be T " + m.getSimpleName()
                                + "(T)");
                    }
                    wraps.put(m.getReturnType(), m.getSimpleName().toString());
                }
            }
        }

        List<ExecutableElement> todo = new ArrayList<>();
        for (ExecutableElement im : interfaceMethods(iface)) {
            if (!implemented(chain, im, cls)) {
                todo.add(im);
            }
        }
        List<ExecutableElement> constructors = cls.getEnclosedElements().stream()
                .filter(el -> el.getKind() == ElementKind.CONSTRUCTOR && !el.getModifiers().contains(Modifier.PRIVATE))
                .map(ExecutableElement.class::cast)
                .collect(Collectors.toList());
        return new Plan(iface, todo, befores, wraps, constructors, delegate.getThrownTypes());
    }

    private TypeMirror interfaceOf(TypeElement cls) {
        try {
            cls.getAnnotation(Delegating.class).value();
            throw new IllegalStateException("the interface of a class being compiled is always a mirror");
        } catch (MirroredTypeException mirrored) {
            return mirrored.getTypeMirror();
        }
    }

    /** The class and its superclasses, most specific first, without {@code Object}. */
    private List<TypeElement> superclassChain(TypeElement cls) {
        List<TypeElement> chain = new ArrayList<>();
        for (TypeElement t = cls; t != null && !t.getQualifiedName().contentEquals("java.lang.Object");
             t = (TypeElement) processingEnv.getTypeUtils().asElement(t.getSuperclass())) {
            chain.add(t);
        }
        return chain;
    }

    private static List<ExecutableElement> methodsOf(TypeElement t) {
        return t.getEnclosedElements().stream()
                .filter(el -> el.getKind() == ElementKind.METHOD)
                .map(ExecutableElement.class::cast)
                .collect(Collectors.toList());
    }

    private static ExecutableElement findMethod(List<TypeElement> chain, String name, int arity) {
        for (TypeElement t : chain) {
            for (ExecutableElement m : methodsOf(t)) {
                if (m.getSimpleName().contentEquals(name) && m.getParameters().size() == arity) {
                    return m;
                }
            }
        }
        return null;
    }

    /**
     * Every instance method of the interface and its superinterfaces, once: where two interfaces declare the same
     * signature ({@code AutoCloseable.close} and {@code Statement.close}), the most specific declaration wins.
     */
    private List<ExecutableElement> interfaceMethods(TypeElement iface) {
        Types types = processingEnv.getTypeUtils();
        Map<String, ExecutableElement> bySignature = new LinkedHashMap<>();
        List<TypeElement> queue = new ArrayList<>(List.of(iface));
        for (int i = 0; i < queue.size(); i++) {
            TypeElement t = queue.get(i);
            for (ExecutableElement m : methodsOf(t)) {
                if (m.getModifiers().contains(Modifier.STATIC) || m.getModifiers().contains(Modifier.PRIVATE)) {
                    continue;
                }
                String key = m.getSimpleName() + m.getParameters().stream()
                        .map(p -> types.erasure(p.asType()).toString())
                        .collect(Collectors.joining(",", "(", ")"));
                // Breadth-first from the asked interface: the first declaration met is the most specific one.
                bySignature.putIfAbsent(key, m);
            }
            for (TypeMirror sup : t.getInterfaces()) {
                queue.add((TypeElement) types.asElement(sup));
            }
        }
        return new ArrayList<>(bySignature.values());
    }

    private boolean implemented(List<TypeElement> chain, ExecutableElement im, TypeElement cls) {
        Elements elements = processingEnv.getElementUtils();
        for (TypeElement t : chain) {
            for (ExecutableElement m : methodsOf(t)) {
                if (m.getSimpleName().equals(im.getSimpleName()) && !m.getModifiers().contains(Modifier.ABSTRACT)
                        && elements.overrides(m, im, cls)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void write(TypeElement cls, Plan plan) throws IOException, PlanException {
        String pkg = processingEnv.getElementUtils().getPackageOf(cls).getQualifiedName().toString();
        String name = "Generated" + cls.getSimpleName();
        StringBuilder out = new StringBuilder();
        if (!pkg.isEmpty()) {
            out.append("package ").append(pkg).append(";\n\n");
        }
        out.append("/** Generated by ").append(DelegatingProcessor.class.getSimpleName()).append(" from {@link ")
                .append(cls.getSimpleName()).append("}: every ").append(plan.iface().getSimpleName())
                .append(" method it does not implement, delegated. */\n");
        out.append("@javax.annotation.processing.Generated(\"").append(DelegatingProcessor.class.getName())
                .append("\")\n");
        out.append("@SuppressWarnings(\"deprecation\")\n");
        out.append("final class ").append(name).append(" extends ").append(cls.getSimpleName()).append(" {\n");
        for (ExecutableElement c : plan.constructors()) {
            out.append("    ").append(name).append('(').append(parameters(c, c.getParameters().stream()
                    .map(Element::asType).collect(Collectors.toList()))).append(')').append(throwsClause(c.getThrownTypes()))
                    .append(" {\n        super(").append(arguments(c)).append(");\n    }\n\n");
        }
        for (ExecutableElement m : plan.methods()) {
            method(out, cls, plan, m);
        }
        out.append("}\n");
        try (Writer w = processingEnv.getFiler().createSourceFile(pkg.isEmpty() ? name : pkg + "." + name, cls)
                .openWriter()) {
            w.write(out.toString());
        }
    }

    private void method(StringBuilder out, TypeElement cls, Plan plan, ExecutableElement im) throws PlanException {
        Types types = processingEnv.getTypeUtils();
        ExecutableType t = (ExecutableType) types.asMemberOf((DeclaredType) cls.asType(), im);
        String name = im.getSimpleName().toString();
        TypeMirror result = t.getReturnType();
        boolean returns = result.getKind() != TypeKind.VOID;

        out.append("    @Override\n    public ").append(typeParameters(im)).append(result).append(' ').append(name)
                .append('(').append(parameters(im, t.getParameterTypes())).append(')')
                .append(throwsClause(t.getThrownTypes())).append(" {\n");
        if (name.equals("unwrap") && im.getParameters().size() == 1) {
            out.append("        if (arg0.isInstance(this)) {\n            return arg0.cast(this);\n        }\n");
        } else if (name.equals("isWrapperFor") && im.getParameters().size() == 1) {
            out.append("        if (arg0.isInstance(this)) {\n            return true;\n        }\n");
        }
        for (Hook h : plan.befores()) {
            if (name.startsWith(h.prefix())) {
                mayThrow(im, t, h.thrown(), h.method() + "()");
                out.append("        ").append(h.method()).append("();\n");
            }
        }
        mayThrow(im, t, plan.delegateThrows(), "delegate()");
        out.append("        final ").append(types.erasure(plan.iface().asType())).append(" d = delegate();\n");

        String call = "d." + name + "(" + arguments(im) + ")";
        String wrap = null;
        for (Map.Entry<TypeMirror, String> w : plan.wraps().entrySet()) {
            if (types.isSameType(w.getKey(), result)) {
                wrap = w.getValue();
            }
        }
        String statement = (returns ? "return " : "") + (wrap == null ? call : wrap + "(" + call + ")") + ";";

        List<TypeMirror> sqlThrown = t.getThrownTypes().stream()
                .filter(x -> types.isSubtype(x, sqlException()))
                .collect(Collectors.toList());
        if (sqlThrown.isEmpty()) {
            out.append("        ").append(statement).append("\n    }\n\n");
            return;
        }
        out.append("        try {\n            ").append(statement).append("\n        }");
        for (TypeMirror x : sqlThrown) {
            out.append(" catch (").append(x).append(" e) {\n");
            if (types.isSameType(x, sqlException())) {
                out.append("            throw failed(e);\n");
            } else {
                // A narrower declared exception cannot carry a translation: report it, throw it as it is.
                out.append("            failed(e);\n            throw e;\n");
            }
            out.append("        }");
        }
        out.append("\n    }\n\n");
    }

    /** A generated method calls {@code what}: it must be allowed to throw what that throws. */
    private void mayThrow(ExecutableElement im, ExecutableType method, List<? extends TypeMirror> thrown, String what)
            throws PlanException {
        Types types = processingEnv.getTypeUtils();
        for (TypeMirror x : thrown) {
            if (method.getThrownTypes().stream().noneMatch(declared -> types.isSubtype(x, declared))) {
                throw new PlanException(im.getSimpleName() + "(" + method.getParameterTypes().stream()
                        .map(TypeMirror::toString).collect(Collectors.joining(", ")) + ") may throw only "
                        + method.getThrownTypes() + " and so cannot call " + what + ", which throws " + x
                        + ": implement that method by hand");
            }
        }
    }

    private TypeMirror sqlException() {
        return processingEnv.getElementUtils().getTypeElement(SQL_EXCEPTION).asType();
    }

    private static String typeParameters(ExecutableElement m) {
        if (m.getTypeParameters().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("<");
        for (TypeParameterElement p : m.getTypeParameters()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(p.getSimpleName());
            List<? extends TypeMirror> bounds = p.getBounds().stream()
                    .filter(b -> !b.toString().equals("java.lang.Object"))
                    .collect(Collectors.toList());
            if (!bounds.isEmpty()) {
                s.append(" extends ").append(bounds.stream().map(TypeMirror::toString)
                        .collect(Collectors.joining(" & ")));
            }
        }
        return s.append("> ").toString();
    }

    private static String parameters(ExecutableElement m, List<? extends TypeMirror> types) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i).toString();
            if (m.isVarArgs() && i == types.size() - 1) {
                type = type.substring(0, type.length() - 2) + "...";
            }
            s.append(i == 0 ? "" : ", ").append(type).append(" arg").append(i);
        }
        return s.toString();
    }

    private static String arguments(ExecutableElement m) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < m.getParameters().size(); i++) {
            s.append(i == 0 ? "" : ", ").append("arg").append(i);
        }
        return s.toString();
    }

    private static String throwsClause(List<? extends TypeMirror> thrown) {
        return thrown.isEmpty() ? "" : " throws " + thrown.stream().map(TypeMirror::toString)
                .collect(Collectors.joining(", "));
    }
}
