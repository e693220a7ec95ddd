package io.stowage.metadata.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access rule as a table: who calls × the object's visibility × whether its bucket is public ×
 * what they do → allowed. The object is alice's and shared with carol; every row is written out, so
 * a change to the rule shows up here as the rows it changes.
 */
class AccessPolicyTest {

    private static final String ALICE = "alice";
    private static final String[] SHARED_WITH = {"carol"};

    /** The kinds of caller the rule tells apart. */
    enum Who {
        ANONYMOUS(Caller.ANONYMOUS),
        OWNER(new Caller(ALICE, false)),
        /** A signed-in user the object is shared with. */
        LISTED(new Caller("carol", false)),
        /** Any other signed-in user. */
        OTHER(new Caller("bob", false)),
        /** {@code storage-admin}, {@code service_role} or a Stowage service. */
        ADMIN(new Caller("root", true));

        final Caller caller;

        Who(Caller caller) {
            this.caller = caller;
        }
    }

    enum Action { READ, WRITE }

    /* caller     visibility  bucket   action  allowed */
    private static final String TABLE = """
            ANONYMOUS  PUBLIC     private  READ    yes
            ANONYMOUS  PUBLIC     private  WRITE   no
            ANONYMOUS  PUBLIC     public   READ    yes
            ANONYMOUS  PUBLIC     public   WRITE   no
            ANONYMOUS  PROTECTED  private  READ    no
            ANONYMOUS  PROTECTED  private  WRITE   no
            ANONYMOUS  PROTECTED  public   READ    yes
            ANONYMOUS  PROTECTED  public   WRITE   no
            ANONYMOUS  SHARED     private  READ    no
            ANONYMOUS  SHARED     private  WRITE   no
            ANONYMOUS  SHARED     public   READ    yes
            ANONYMOUS  SHARED     public   WRITE   no
            ANONYMOUS  PRIVATE    private  READ    no
            ANONYMOUS  PRIVATE    private  WRITE   no
            ANONYMOUS  PRIVATE    public   READ    yes
            ANONYMOUS  PRIVATE    public   WRITE   no

            OWNER      PUBLIC     private  READ    yes
            OWNER      PUBLIC     private  WRITE   yes
            OWNER      PUBLIC     public   READ    yes
            OWNER      PUBLIC     public   WRITE   yes
            OWNER      PROTECTED  private  READ    yes
            OWNER      PROTECTED  private  WRITE   yes
            OWNER      PROTECTED  public   READ    yes
            OWNER      PROTECTED  public   WRITE   yes
            OWNER      SHARED     private  READ    yes
            OWNER      SHARED     private  WRITE   yes
            OWNER      SHARED     public   READ    yes
            OWNER      SHARED     public   WRITE   yes
            OWNER      PRIVATE    private  READ    yes
            OWNER      PRIVATE    private  WRITE   yes
            OWNER      PRIVATE    public   READ    yes
            OWNER      PRIVATE    public   WRITE   yes

            LISTED     PUBLIC     private  READ    yes
            LISTED     PUBLIC     private  WRITE   no
            LISTED     PUBLIC     public   READ    yes
            LISTED     PUBLIC     public   WRITE   no
            LISTED     PROTECTED  private  READ    yes
            LISTED     PROTECTED  private  WRITE   no
            LISTED     PROTECTED  public   READ    yes
            LISTED     PROTECTED  public   WRITE   no
            LISTED     SHARED     private  READ    yes
            LISTED     SHARED     private  WRITE   no
            LISTED     SHARED     public   READ    yes
            LISTED     SHARED     public   WRITE   no
            LISTED     PRIVATE    private  READ    no
            LISTED     PRIVATE    private  WRITE   no
            LISTED     PRIVATE    public   READ    yes
            LISTED     PRIVATE    public   WRITE   no

            OTHER      PUBLIC     private  READ    yes
            OTHER      PUBLIC     private  WRITE   no
            OTHER      PUBLIC     public   READ    yes
            OTHER      PUBLIC     public   WRITE   no
            OTHER      PROTECTED  private  READ    yes
            OTHER      PROTECTED  private  WRITE   no
            OTHER      PROTECTED  public   READ    yes
            OTHER      PROTECTED  public   WRITE   no
            OTHER      SHARED     private  READ    no
            OTHER      SHARED     private  WRITE   no
            OTHER      SHARED     public   READ    yes
            OTHER      SHARED     public   WRITE   no
            OTHER      PRIVATE    private  READ    no
            OTHER      PRIVATE    private  WRITE   no
            OTHER      PRIVATE    public   READ    yes
            OTHER      PRIVATE    public   WRITE   no

            ADMIN      PUBLIC     private  READ    yes
            ADMIN      PUBLIC     private  WRITE   yes
            ADMIN      PUBLIC     public   READ    yes
            ADMIN      PUBLIC     public   WRITE   yes
            ADMIN      PROTECTED  private  READ    yes
            ADMIN      PROTECTED  private  WRITE   yes
            ADMIN      PROTECTED  public   READ    yes
            ADMIN      PROTECTED  public   WRITE   yes
            ADMIN      SHARED     private  READ    yes
            ADMIN      SHARED     private  WRITE   yes
            ADMIN      SHARED     public   READ    yes
            ADMIN      SHARED     public   WRITE   yes
            ADMIN      PRIVATE    private  READ    yes
            ADMIN      PRIVATE    private  WRITE   yes
            ADMIN      PRIVATE    public   READ    yes
            ADMIN      PRIVATE    public   WRITE   yes
            """;

    record Row(Who who, Visibility visibility, boolean publicBucket, Action action, boolean allowed) {

        static Row parse(String line) {
            String[] f = line.trim().split("\\s+");
            return new Row(Who.valueOf(f[0]), Visibility.valueOf(f[1]), switch (f[2]) {
                case "public" -> true;
                case "private" -> false;
                default -> throw new IllegalArgumentException("bucket is public or private: " + line);
            }, Action.valueOf(f[3]), switch (f[4]) {
                case "yes" -> true;
                case "no" -> false;
                default -> throw new IllegalArgumentException("allowed is yes or no: " + line);
            });
        }
    }

    static List<Row> table() {
        return TABLE.lines().filter(line -> !line.isBlank()).map(Row::parse).toList();
    }

    static Stream<Arguments> rows() {
        return table().stream().map(r -> Arguments.of(r.who(), r.visibility(), r.publicBucket() ? "public" : "private",
                r.action(), r.allowed()));
    }

    @ParameterizedTest(name = "{0} {3} a {1} object in a {2} bucket: {4}")
    @MethodSource("rows")
    void decidesEveryCombinationAsTheTableSays(Who who, Visibility visibility, String bucket, Action action, boolean allowed) {
        boolean publicBucket = bucket.equals("public");
        boolean decided = switch (action) {
            case READ -> AccessPolicy.canRead(who.caller, publicBucket, ALICE, visibility, SHARED_WITH);
            case WRITE -> AccessPolicy.canWrite(who.caller, ALICE);
        };
        assertEquals(allowed, decided);
    }

    @Test
    void theTableHoldsEveryCombinationOnce() {
        Set<List<Object>> seen = new HashSet<>();
        for (Row r : table()) {
            assertTrue(seen.add(List.of(r.who(), r.visibility(), r.publicBucket(), r.action())), "twice: " + r);
        }
        assertEquals(Who.values().length * Visibility.values().length * 2 * Action.values().length, seen.size());
    }

    @Test
    void anObjectSharedWithNobodyIsTheOwnersAlone() {
        for (String[] nobody : Arrays.asList(null, new String[0])) {
            assertFalse(AccessPolicy.canRead(Who.OTHER.caller, false, ALICE, Visibility.SHARED, nobody));
            assertTrue(AccessPolicy.canRead(Who.OWNER.caller, false, ALICE, Visibility.SHARED, nobody));
        }
    }
}
