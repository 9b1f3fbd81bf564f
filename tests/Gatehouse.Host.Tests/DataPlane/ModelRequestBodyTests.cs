using System.Text;
using Gatehouse.Host.DataPlane;

namespace Gatehouse.Host.Tests.DataPlane;

public sealed class ModelRequestBodyTests
{
    private static ModelRequestBody Parse(string json)
    {
        var (body, error, message) = ModelRequestBody.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(body is not null, $"{error?.Status}: {message}");
        return body;
    }

    [Fact]
    public void Parse_EscapedModelValue_IsDecodedAsUpstreamWouldReadIt()
    {
        Assert.Equal("mythos-5", Parse("""{"model":"myth\u006fs-5"}""").Model);
    }

    [Fact]
    public void WithModel_ReplacesOnlyTheTopLevelModelValue()
    {
        var json = """{"metadata":{"model":"inner"},"model" :  "a\u0062c" ,"x":[1,2]}""";

        var rewritten = Encoding.UTF8.GetString(Parse(json).WithModel("upstream/\"name\""));

        Assert.Equal("""{"metadata":{"model":"inner"},"model" :  "upstream/\u0022name\u0022" ,"x":[1,2]}""", rewritten);
    }

    [Fact]
    public void WithModel_SameName_ReturnsTheOriginalBytes()
    {
        var body = Parse("""{"model":"m"}""");

        Assert.Same(body.Bytes, body.WithModel("m"));
    }

    [Theory]
    [InlineData("""{"model":"a","model":"b"}""", "more than once")]
    [InlineData("""{"model":null}""", "must be a string")]
    [InlineData("""{"model":""}""", "must name a model")]
    [InlineData("""{"model":"a"} x""", "not valid JSON")]
    [InlineData("""{"model":"a", /* comment */ "x":1}""", "not valid JSON")]
    [InlineData("""{"model":"a",}""", "not valid JSON")]
    [InlineData("""  """, "not valid JSON")]
    [InlineData("""42""", "must be a JSON object")]
    public void Parse_BadBody_IsA400WithAReason(string json, string expected)
    {
        var (body, error, message) = ModelRequestBody.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Null(body);
        Assert.Equal(400, error!.Status);
        Assert.Contains(expected, message);
    }
}
