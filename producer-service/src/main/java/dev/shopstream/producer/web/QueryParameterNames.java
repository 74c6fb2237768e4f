package dev.shopstream.producer.web;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.validation.ParameterNameProvider;
import jakarta.ws.rs.QueryParam;

/**
 * The names Bean Validation gives the parameters of a validated method: a query parameter's is its {@code @QueryParam},
 * as the request spells it (product_id, not productId); any other parameter keeps its Java name. A constraint
 * violation's property path ends with that name, so ErrorMappers names the parameter to blame from the path alone.
 * Quarkus hands this bean to its validator factory (Bean Validation's ParameterNameProvider).
 */
@Singleton
public class QueryParameterNames implements ParameterNameProvider {

    @Override
    public List<String> getParameterNames(Constructor<?> constructor) {
        return names(constructor);
    }

    @Override
    public List<String> getParameterNames(Method method) {
        return names(method);
    }

    private static List<String> names(Executable executable) {
        List<String> names = new ArrayList<>();
        for (Parameter parameter : executable.getParameters()) {
            QueryParam query = parameter.getAnnotation(QueryParam.class);
            names.add(query != null ? query.value() : parameter.getName());
        }
        return names;
    }
}
