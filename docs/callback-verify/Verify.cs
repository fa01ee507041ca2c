// Verify.cs - checks a RaportAI callback signature
// (.NET Framework 4.5+, .NET 5+, Mono).
//
// Build: mcs -out:verify.exe Verify.cs     (or add the class to any .NET project)
// Run:   mono verify.exe HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE
// Exits 0 when the signature is valid and the timestamp is fresh, 1 otherwise.
//
// The signature is the lowercase hex HMAC-SHA256, keyed with the job's
// hmacSecret (its characters as they are, not hex-decoded), of
// timestamp + "." + the raw body bytes.
using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

public static class RaportAICallback
{
    // Reject timestamps more than 5 minutes off, older or newer.
    static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    // "2026-11-28T21:05:18.123Z" in UTC, or null.
    static DateTimeOffset? ParseTimestamp(string ts)
    {
        string[] formats = { "yyyy-MM-dd'T'HH:mm:ss'Z'",
                             "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" };
        var utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        var invariant = CultureInfo.InvariantCulture;
        DateTimeOffset sent;
        if (DateTimeOffset.TryParseExact(ts, formats, invariant, utc, out sent))
            return sent;
        return null;
    }

    // True when signature is the HMAC of timestamp "." body under secret and
    // the timestamp is within MaxAge of now.
    public static bool IsValid(string secret, string timestamp, byte[] body,
                               string signature, DateTimeOffset now)
    {
        DateTimeOffset? sent = ParseTimestamp(timestamp);
        if (sent == null || (now - sent.Value).Duration() > MaxAge)
            return false;
        byte[] prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        byte[] message = new byte[prefix.Length + body.Length];
        Buffer.BlockCopy(prefix, 0, message, 0, prefix.Length);
        Buffer.BlockCopy(body, 0, message, prefix.Length, body.Length);
        using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret)))
        {
            byte[] mac = hmac.ComputeHash(message);
            var hex = new StringBuilder(mac.Length * 2);
            foreach (byte b in mac)
                hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return FixedTimeEquals(Encoding.ASCII.GetBytes(hex.ToString()),
                                   Encoding.UTF8.GetBytes(signature));
        }
    }

    // Constant-time comparison; on .NET Core 2.1+,
    // CryptographicOperations.FixedTimeEquals does the same.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
            return false;
        int diff = 0;
        for (int i = 0; i < a.Length; i++)
            diff |= a[i] ^ b[i];
        return diff == 0;
    }

    public static int Main(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine(
                "usage: verify.exe HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE");
            return 1;
        }
        byte[] body;
        try
        {
            body = File.ReadAllBytes(args[3]); // raw bytes, never re-serialized JSON
        }
        catch (Exception e) when (e is IOException
                                  || e is UnauthorizedAccessException)
        {
            Console.Error.WriteLine("cannot read " + args[3] + ": " + e.Message);
            return 1;
        }
        bool ok = IsValid(args[0], args[1], body, args[2], DateTimeOffset.UtcNow);
        Console.WriteLine(ok ? "valid" : "invalid");
        return ok ? 0 : 1;
    }
}
