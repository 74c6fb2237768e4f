package dev.shopstream.producer.testing;

import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The two answers the read API's tests ask for most: a 200 with its JSON body, and a 400 naming a parameter. */
public final class ReadRequests {

    private ReadRequests() {
    }

    /** The body of GET {@code path}, which must be a 200 with JSON. */
    public static String get(String path) {
        return given().when().get(path).then().statusCode(200).contentType("application/json").extract().asString();
    }

    /** GET {@code path}, which must be a 400 with the API's error body naming {@code parameter}; for more checks. */
    public static ValidatableResponse badRequest(String path, String parameter) {
        return given().when().get(path).then().statusCode(400).contentType("application/json")
                .body("status", equalTo(400)).body("parameter", equalTo(parameter));
    }
}
