package io.updraft.release.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Which credentials the s3 store signs with: static keys from a Secret, or the AWS SDK's default chain. */
class S3CredentialsTest {
    private static final Map<String, String> CHAIN_PROPERTIES = Map.of(
            "aws.accessKeyId", "", "aws.secretAccessKey", "", "aws.webIdentityTokenFile", "", "aws.roleArn", "",
            "aws.disableEc2Metadata", "", "aws.endpointUrlSts", "", "aws.region", "");

    @TempDir
    Path dir;

    @AfterEach
    void clearChainProperties() {
        CHAIN_PROPERTIES.keySet().forEach(System::clearProperty);
    }

    @Test
    void givenBothStaticKeys_whenResolving_thenThoseKeys() {
        AwsCredentialsProvider provider = ArtifactStorage.credentials(Optional.of("AKID"), Optional.of("secret"));

        assertThat(provider).isInstanceOf(StaticCredentialsProvider.class);
        AwsCredentials credentials = provider.resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo("AKID");
        assertThat(credentials.secretAccessKey()).isEqualTo("secret");
    }

    @Test
    void givenOnlyOneStaticKey_whenResolving_thenAConfigurationErrorNotTheChain() {
        assertThatThrownBy(() -> ArtifactStorage.credentials(Optional.of("AKID"), Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("set both");
        assertThatThrownBy(() -> ArtifactStorage.credentials(Optional.of(" "), Optional.of("secret")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenNoStaticKeys_whenTheEnvironmentHoldsCredentials_thenTheDefaultChainFindsThem() {
        AwsCredentialsProvider provider = ArtifactStorage.credentials(Optional.of(""), Optional.empty());
        System.setProperty("aws.accessKeyId", "AKID-FROM-CHAIN");
        System.setProperty("aws.secretAccessKey", "secret-from-chain");

        assertThat(provider).isNotInstanceOf(StaticCredentialsProvider.class);
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKID-FROM-CHAIN");
    }

    @Test
    void givenAWebIdentityTokenFile_whenResolving_thenTheChainExchangesItAtStsForTheRolesCredentials()
            throws Exception {
        // IRSA / workload identity federation: a projected token file and a role. STS is a local stand-in answering
        // AssumeRoleWithWebIdentity, so the whole path (chain → sts module → HTTP → credentials) runs offline.
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dXBkcmFmdCJ9.c2ln";
        Path token = Files.writeString(dir.resolve("token"), jwt);
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = ASSUMED_ROLE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        sts.start();
        try {
            System.setProperty("aws.webIdentityTokenFile", token.toString());
            System.setProperty("aws.roleArn", "arn:aws:iam::123456789012:role/updraft-release-service");
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.endpointUrlSts", "http://127.0.0.1:" + sts.getAddress().getPort());
            System.setProperty("aws.disableEc2Metadata", "true");

            AwsCredentials credentials = ArtifactStorage.credentials(Optional.empty(), Optional.empty())
                    .resolveCredentials();

            assertThat(credentials.accessKeyId()).isEqualTo("ASIAFROMWEBIDENTITY");
            assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("session-token");
            assertThat(requests).anySatisfy(body -> assertThat(body).contains("Action=AssumeRoleWithWebIdentity")
                    .contains("WebIdentityToken=" + jwt).contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012"));
        } finally {
            sts.stop(0);
        }
    }

    private static final String ASSUMED_ROLE = """
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <Credentials>
                  <AccessKeyId>ASIAFROMWEBIDENTITY</AccessKeyId>
                  <SecretAccessKey>secret-from-web-identity</SecretAccessKey>
                  <SessionToken>session-token</SessionToken>
                  <Expiration>2099-01-01T00:00:00Z</Expiration>
                </Credentials>
                <SubjectFromWebIdentityToken>system:serviceaccount:updraft:release-service</SubjectFromWebIdentityToken>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::123456789012:assumed-role/updraft-release-service/session</Arn>
                  <AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId>
                </AssumedRoleUser>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """;
}
