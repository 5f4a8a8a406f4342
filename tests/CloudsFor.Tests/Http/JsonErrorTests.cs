using System.Net.Http.Headers;
using System.Text;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Http;

/// <summary>
/// Every way a body can fail to be JSON gets a 400 that says where and what, in the API's own words: none of the
/// parser's advice for .NET programmers ("Change the reader options.") reaches a client.
/// </summary>
public sealed class JsonErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Theory]
    [InlineData("{\"name\": \"t\", \"scopes\": [read]}", "expected a value (a string in double quotes, a number, true, false, null, an object or an array), found 'r'")]
    [InlineData("{\"name\": True}", "expected a value (a string in double quotes, a number, true, false, null, an object or an array), found 'T'")]
    [InlineData("{\"name\": nul}", "expected true, false or null (lowercase, without quotes), found 'nul}'")]
    [InlineData("{\"name\": \"t\",}", "a comma stands before the closing '}': JSON allows no trailing comma")]
    [InlineData("{\"scopes\": [\"read\",]}", "a comma stands before the closing ']': JSON allows no trailing comma")]
    [InlineData("{\"name\": \"t\"} x", "found 'x' after the end of the JSON value: the body must hold one object only")]
    [InlineData("{\"n\": 12a}", "found 'a' right after a number")]
    [InlineData("{\"n\": 1.}", "a number needs a digit after its decimal point, found '}'")]
    [InlineData("{\"n\": -}", "a number needs a digit after its sign, found '}'")]
    [InlineData("{\"n\": 01}", "a number cannot start with 0 followed by more digits")]
    [InlineData("{\"n\": 1", "the body ends before every object and array in it is closed")]
    [InlineData("{\"n\": 1.", "the body ends inside a number")]
    [InlineData("{\"name\" \"t\"}", "expected ':' after a field name, found '\"'")]
    [InlineData("{name: \"t\"}", "expected a field name in double quotes, found 'n'")]
    [InlineData("{\"a\": 1 \"b\": 2}", "expected ',' or the end of the object or array after a value, found '\"'")]
    [InlineData("{\"a\": \"\\q\"}", "a backslash in a string is followed by 'q', which is no escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)")]
    [InlineData("{\"a\": \"\\u12g4\"}", "\\u in a string must be followed by four hex digits, found 'g'")]
    [InlineData("{\"a\": \"two\nlines\"}", "the byte 0x0A must be escaped inside a string (\\n for a line break, \\t for a tab, \\uXXXX for other control characters)")]
    [InlineData("{\"a\": \"unterminated", "the body ends inside a string: its closing \" is missing")]
    [InlineData("{\"a\": ", "the body ends before every object and array in it is closed")]
    [InlineData("{\"a\": [1}}", "'}' closes an object or array that is not open")]
    [InlineData("{\"a\": 1, \"a\": 2}", "the field 'a' appears twice in one object")]
    [InlineData("{\"a\": 1 /* why */}", "comments are not allowed in JSON")]
    [InlineData("{\"a\": // why\n1}", "comments are not allowed in JSON")]
    [InlineData("   ", "the body holds no JSON value")]
    public async Task A_malformed_body_is_a_400_saying_where_and_what(string body, string what)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tokens", body);
        r.ExpectError(400, "bad_request");
        Assert.Matches(@"^Malformed JSON( at line \d+, column \d+)?: ", r.Message);
        Assert.EndsWith($": {what}.", r.Message);
    }

    [Fact]
    public async Task Nesting_past_the_limit_is_a_400_naming_the_limit()
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/tokens", "{\"a\": " + new string('[', 40) + new string(']', 40) + "}");
        r.ExpectError(400, "bad_request");
        Assert.EndsWith(": objects and arrays are nested more than 32 deep.", r.Message);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_a_400_saying_where()
    {
        var user = await TestAccounts.Create(Server);
        var content = new ByteArrayContent([.. "{\"name\": \""u8, 0xff, .. "\"}"u8]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var r = await user.Api.SendContent(HttpMethod.Post, "/tokens", content);
        r.ExpectError(400, "bad_request");
        Assert.Equal("The request body has text that is not valid Unicode in $.name (bytes that are not UTF-8, or an escaped lone surrogate \\uD800-\\uDFFF).", r.Message);
    }
}
