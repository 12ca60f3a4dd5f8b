import java.security.*;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
/** P-256 verification, SunEC vs BouncyCastle, interleaved rounds in one JVM. usage: java -cp bcprov.jar bench/EcVerifyBench.java */
public class EcVerifyBench {
  public static void main(String[] a) throws Exception {
    Provider bc = new BouncyCastleProvider();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC"); g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[] msg = new byte[32]; new SecureRandom().nextBytes(msg);
    Signature s = Signature.getInstance("SHA256withECDSA"); s.initSign(kp.getPrivate()); s.update(msg); byte[] sig = s.sign();
    for (int round = 0; round < 4; round++) {
      for (String p : new String[]{"SunEC", "BC"}) {
        int n = 400; long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          Signature v = p.equals("BC") ? Signature.getInstance("SHA256withECDSA", bc) : Signature.getInstance("SHA256withECDSA");
          v.initVerify(kp.getPublic()); v.update(msg); if (!v.verify(sig)) throw new Error();
        }
        System.out.printf("round %d %s: %.3f ms/verify (wall)%n", round, p, (System.nanoTime() - t0) / 1e6 / n);
      }
    }
  }
}
