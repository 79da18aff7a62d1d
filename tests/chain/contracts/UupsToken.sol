// SPDX-License-Identifier: MIT
// A UUPS-upgradeable token for Backcheck's test chain, written to OpenZeppelin's public interfaces:
// an ERC1967Proxy (implementation slot only, no admin) in front of an Ownable implementation whose
// own upgradeToAndCall (owner only) replaces the logic and whose proxiableUUID() names the slot.
pragma solidity ^0.8.20;

contract ERC1967Proxy {
    bytes32 private constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    event Upgraded(address indexed implementation);

    constructor(address logic, bytes memory data) payable {
        assembly {
            sstore(IMPLEMENTATION_SLOT, logic)
        }
        emit Upgraded(logic);
        (bool ok, ) = logic.delegatecall(data);
        require(ok, "init failed");
    }

    fallback() external payable {
        assembly {
            let logic := sload(IMPLEMENTATION_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), logic, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

contract UupsToken {
    bytes32 private constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    address private immutable self = address(this);

    bool private _initialized;
    string public name;
    string public symbol;
    uint256 public totalSupply;
    address public owner;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event Upgraded(address indexed implementation);

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    function initialize(string calldata name_, string calldata symbol_, address owner_) external {
        require(!_initialized, "Initializable: contract is already initialized");
        _initialized = true;
        (name, symbol, owner) = (name_, symbol_, owner_);
        emit OwnershipTransferred(address(0), owner_);
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// Answers only on the implementation itself, never through a proxy (OpenZeppelin's notDelegated).
    function proxiableUUID() external view returns (bytes32) {
        require(address(this) == self, "UUPSUpgradeable: must not be called through delegatecall");
        return IMPLEMENTATION_SLOT;
    }

    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable onlyOwner {
        require(address(this) != self, "UUPSUpgradeable: must be called through delegatecall");
        assembly {
            sstore(IMPLEMENTATION_SLOT, newImplementation)
        }
        emit Upgraded(newImplementation);
        if (data.length > 0) {
            (bool ok, ) = newImplementation.delegatecall(data);
            require(ok, "upgrade call failed");
        }
    }
}
