namespace MarginOrleans.Storage;

/// <summary>
/// Whether this installation may hold account state in Orleans' own rows (<see cref="Tables.Grains"/>),
/// stored before an account's state had its row in its journal partition: while an account has no row
/// of its own, <see cref="AccountStateStorage"/> reads through to them only if it may. The layout's
/// first start records it (<see cref="StorageLayout"/>): grain rows empty then, none can hold an
/// account's state — every account since was created with its own row — so a new account costs no
/// read of them. It may until the layout says otherwise, and for a layout recorded before it said.
/// </summary>
public sealed class StateStoredBefore
{
    public bool Possible { get; set; } = true;

    /// <summary>
    /// Whether isolated positions' state may lie in Orleans' rows: only if it may for accounts, or if
    /// the layout was recorded by a build that stored positions there (<see cref="PositionRows"/>).
    /// </summary>
    public bool Positions { get; set; } = true;
}
