package intake
import ("testing";"os";"context";"encoding/json";"fmt")
func TestZZ(t *testing.T){ f := os.Getenv("F"); if f=="" {t.Skip()}; b,_ := os.ReadFile(f); r, err := Read(context.Background(), f, "", b); j,_ := json.MarshalIndent(r, "", " "); fmt.Println(string(j), err) }
