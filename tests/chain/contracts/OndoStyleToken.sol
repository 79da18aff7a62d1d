// SPDX-License-Identifier: MIT
// An Ondo-Global-Markets-style token for Backcheck's test chain, written to OpenZeppelin's public
// interfaces: a BeaconProxy (EIP-1967 beacon slot) → an owned UpgradeableBeacon → an implementation
// with AccessControlEnumerable roles (DEFAULT_ADMIN_ROLE, MINTER_ROLE, BURNER_ROLE, PAUSER_ROLE)
// and Pausable. The burner can burn from any account. Also OpaqueProxy: a proxy keeping its
// implementation in a private slot, so its code matches no known interface.
pragma solidity ^0.8.20;

interface IBeacon {
    function implementation() external view returns (address);
}

contract UpgradeableBeacon is IBeacon {
    address public implementation;
    address public owner;

    event Upgraded(address indexed implementation);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor(address implementation_, address owner_) {
        implementation = implementation_;
        owner = owner_;
        emit Upgraded(implementation_);
        emit OwnershipTransferred(address(0), owner_);
    }

    function upgradeTo(address newImplementation) external {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        implementation = newImplementation;
        emit Upgraded(newImplementation);
    }

    function transferOwnership(address newOwner) external {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}

contract BeaconProxy {
    // bytes32(uint256(keccak256("eip1967.proxy.beacon")) - 1)
    bytes32 private constant BEACON_SLOT = 0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50;

    event BeaconUpgraded(address indexed beacon);

    constructor(address beacon, bytes memory data) payable {
        assembly {
            sstore(BEACON_SLOT, beacon)
        }
        emit BeaconUpgraded(beacon);
        if (data.length > 0) {
            (bool ok, ) = IBeacon(beacon).implementation().delegatecall(data);
            require(ok, "init failed");
        }
    }

    fallback() external payable {
        address beacon;
        assembly {
            beacon := sload(BEACON_SLOT)
        }
        _delegate(IBeacon(beacon).implementation());
    }

    function _delegate(address logic) private {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), logic, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

contract OpaqueProxy {
    bytes32 private constant LOGIC_SLOT = keccak256("backcheck.test.opaque.logic");

    constructor(address logic, bytes memory data) payable {
        bytes32 slot = LOGIC_SLOT;
        assembly {
            sstore(slot, logic)
        }
        (bool ok, ) = logic.delegatecall(data);
        require(ok, "init failed");
    }

    fallback() external payable {
        bytes32 slot = LOGIC_SLOT;
        assembly {
            let logic := sload(slot)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), logic, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

contract OndoStyleToken {
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    bool private _initialized;
    string public name;
    string public symbol;
    uint256 public totalSupply;
    bool public paused;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(bytes32 => address[]) private _members;
    mapping(bytes32 => mapping(address => bool)) private _hasRole;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event Paused(address account);
    event Unpaused(address account);

    modifier onlyRole(bytes32 role) {
        require(_hasRole[role][msg.sender], "AccessControl: account is missing role");
        _;
    }

    function initialize(string calldata name_, string calldata symbol_, address admin) external {
        require(!_initialized, "Initializable: contract is already initialized");
        _initialized = true;
        (name, symbol) = (name_, symbol_);
        _grant(DEFAULT_ADMIN_ROLE, admin);
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function supportsInterface(bytes4 id) external pure returns (bool) {
        // ERC165, IAccessControl, IAccessControlEnumerable
        return id == 0x01ffc9a7 || id == 0x7965db0b || id == 0x5a05180f;
    }

    function hasRole(bytes32 role, address account) external view returns (bool) {
        return _hasRole[role][account];
    }

    function getRoleAdmin(bytes32) external pure returns (bytes32) {
        return DEFAULT_ADMIN_ROLE;
    }

    function getRoleMember(bytes32 role, uint256 index) external view returns (address) {
        return _members[role][index];
    }

    function getRoleMemberCount(bytes32 role) external view returns (uint256) {
        return _members[role].length;
    }

    function grantRole(bytes32 role, address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _grant(role, account);
    }

    function revokeRole(bytes32 role, address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        require(_hasRole[role][account], "no such member");
        _hasRole[role][account] = false;
        address[] storage members = _members[role];
        for (uint256 i = 0; i < members.length; i++) {
            if (members[i] == account) {
                members[i] = members[members.length - 1];
                members.pop();
                break;
            }
        }
        emit RoleRevoked(role, account, msg.sender);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        _transfer(from, to, amount);
        return true;
    }

    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        require(!paused, "Pausable: paused");
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function burn(address from, uint256 amount) external onlyRole(BURNER_ROLE) {
        balanceOf[from] -= amount;
        totalSupply -= amount;
        emit Transfer(from, address(0), amount);
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        paused = false;
        emit Unpaused(msg.sender);
    }

    function _grant(bytes32 role, address account) private {
        if (_hasRole[role][account]) return;
        _hasRole[role][account] = true;
        _members[role].push(account);
        emit RoleGranted(role, account, msg.sender);
    }

    function _transfer(address from, address to, uint256 amount) private {
        require(!paused, "Pausable: paused");
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
