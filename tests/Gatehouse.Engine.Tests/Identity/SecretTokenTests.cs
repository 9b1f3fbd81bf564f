using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Tests.Identity;

public sealed class SecretTokenTests
{
    [Fact]
    public void Issue_TokenParsesBackToItsIdAndMatchesItsHash()
    {
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);

        Assert.Matches("^gh_[a-z2-7]{16}_[a-z2-7]{52}$", issued.Token);
        Assert.True(SecretToken.TryParse(issued.Token, SecretToken.ApiKeyKind, out var id, out var secret));
        Assert.Equal(issued.Id, id.ToString());
        Assert.True(SecretToken.Matches(secret, issued.SecretHash));
        Assert.DoesNotContain(secret, Convert.ToHexString(issued.SecretHash), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(issued.Id, issued.ToString());
    }

    [Fact]
    public void Matches_OtherSecret_IsFalse()
    {
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
        var other = SecretToken.Issue(SecretToken.ApiKeyKind);
        SecretToken.TryParse(other.Token, SecretToken.ApiKeyKind, out _, out var otherSecret);

        Assert.False(SecretToken.Matches(otherSecret, issued.SecretHash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gh_short_secret")]
    [InlineData("gha_aaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("gh_AAAAAAAAAAAAAAAA_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("gh_aaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("gh_aaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1")]
    public void TryParse_MalformedApiKey_IsFalse(string presented)
    {
        Assert.False(SecretToken.TryParse(presented, SecretToken.ApiKeyKind, out _, out _));
    }

    [Fact]
    public void Snapshot_Authenticate_FindsTheOwnerOnlyForTheRightSecret()
    {
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
        var admin = SecretToken.Issue(SecretToken.AdminTokenKind);
        var time = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var snapshot = IdentitySnapshot.Build(new IdentityData(
            [new Organization("org_1", "Acme", time)],
            [new Account("acc_1", "org_1", "Jo", null, time)],
            [new ApiKeyRecord(issued.Id, "acc_1", "k", issued.SecretHash, time)],
            [new AdminTokenRecord(admin.Id, AdminRoles.Admin, "bootstrap", admin.SecretHash, time)]));

        Assert.Equal("acc_1", snapshot.Authenticate(issued.Token)!.Account.Id);
        Assert.Null(snapshot.Authenticate(issued.Token[..^1] + (issued.Token[^1] == 'a' ? 'b' : 'a')));
        Assert.Null(snapshot.Authenticate(admin.Token));
        Assert.Null(snapshot.AuthenticateAdmin(issued.Token));
        Assert.Equal(admin.Id, snapshot.AuthenticateAdmin(admin.Token)!.Id);
    }
}
