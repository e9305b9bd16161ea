package moonshot.power;

public enum PowerDirection {
    OFF, ON
}
